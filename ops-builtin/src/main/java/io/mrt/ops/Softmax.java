package io.mrt.ops;

import io.mrt.annotations.Attr;
import io.mrt.annotations.MrtOp;
import io.mrt.api.graph.Attrs;
import io.mrt.api.graph.Shape;
import io.mrt.api.hook.ForwardContext;
import io.mrt.api.hook.ForwardHook;
import io.mrt.api.hook.InferShapeHook;
import io.mrt.api.hook.QuantizeContext;
import io.mrt.api.hook.QuantizeHook;
import io.mrt.api.hook.Quantized;
import io.mrt.api.hook.ShapeContext;
import io.mrt.ops.support.QuantizeRules;
import io.mrt.ops.support.Tensors;
import io.mrt.ops.support.Unary;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * MXNet {@code softmax} along {@code axis} (default the last), with an optional
 * {@code temperature}: {@code e^((x - max)/T) / sum}. Quantized with lookup tables into CVM ops.
 */
@MrtOp(value = "softmax",
    attrs = {
        @Attr(name = "axis", type = int.class, defaultValue = "-1"),
        @Attr(name = "temperature", type = double.class, defaultValue = "None")},
    emits = {"max", "broadcast_sub", "cvm_clip", "relu", "cvm_lut", "sum", "broadcast_mul",
        "broadcast_div", "broadcast_add"},
    inputPrecision = 8)
public final class Softmax implements InferShapeHook, ForwardHook, QuantizeHook {
  /** For the registry. */
  public Softmax() {}

  @Override
  public List<Shape> inferShape(ShapeContext ctx) {
    Tensors.axis(ctx, "axis", ctx.attrs().getInt("axis"), ctx.inputShape(0).rank());
    return Unary.shape(ctx);
  }

  @Override
  public List<INDArray> forward(ForwardContext ctx) {
    INDArray input = ctx.input(0);
    long[] shape = input.shape();
    int axis = Tensors.axis(ctx, "axis", ctx.attrs().getInt("axis"), shape.length);
    String t = ctx.attrs().getString("temperature");
    double temperature = Attrs.isNone(t) ? 1.0 : ctx.attrs().getDouble("temperature");
    float[] x = Tensors.floats(input);
    long[] strides = Tensors.strides(shape);
    int len = (int) shape[axis];
    int stride = (int) strides[axis];
    int outer = (int) (x.length / ((long) len * stride));
    for (int o = 0; o < outer; o++) {
      for (int in = 0; in < stride; in++) {
        int base = o * len * stride + in;
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < len; i++) {
          max = Math.max(max, x[base + i * stride]);
        }
        float sum = 0f;
        for (int i = 0; i < len; i++) {
          float e = (float) Math.exp((x[base + i * stride] - max) / temperature);
          x[base + i * stride] = e;
          sum += e;
        }
        for (int i = 0; i < len; i++) {
          x[base + i * stride] /= sum;
        }
      }
    }
    return List.of(Tensors.of(x, shape));
  }

  /** MRT's softmax through a lookup table: see {@link QuantizeRules#softmax}. */
  @Override
  public Quantized quantize(QuantizeContext ctx) {
    return QuantizeRules.softmax(ctx);
  }
}
