package io.mrt.ops;

import io.mrt.annotations.Attr;
import io.mrt.annotations.MrtOp;
import io.mrt.api.graph.Entry;
import io.mrt.api.graph.Shape;
import io.mrt.api.hook.ForwardContext;
import io.mrt.api.hook.ForwardHook;
import io.mrt.api.hook.InferShapeHook;
import io.mrt.api.hook.LowerContext;
import io.mrt.api.hook.LowerToCvmHook;
import io.mrt.api.hook.QuantizeContext;
import io.mrt.api.hook.QuantizeHook;
import io.mrt.api.hook.Quantized;
import io.mrt.api.hook.ShapeContext;
import io.mrt.ops.support.Tensors;
import io.mrt.ops.support.Unary;
import java.util.List;
import java.util.Locale;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * MXNet {@code Cast(dtype)}. To an integer type the values are truncated toward zero (and kept
 * in the executor's float array, as MRT's {@code astype('int32').astype('float32')}); to a float
 * type it is a copy. The integer graph uses it after an integer division (softmax), so that the
 * float simulation truncates as the CVM's {@code broadcast_div} does. Quantized as MRT does (the
 * input's scale and precision); lowered to nothing (the CVM is integer throughout).
 */
@MrtOp(value = "Cast", attrs = @Attr(name = "dtype", type = String.class))
public final class Cast implements InferShapeHook, ForwardHook, QuantizeHook, LowerToCvmHook {
  /** For the registry. */
  public Cast() {}

  private static boolean integer(String dtype) {
    return dtype.toLowerCase(Locale.ROOT).matches("u?int(8|16|32|64)|bool");
  }

  @Override
  public List<Shape> inferShape(ShapeContext ctx) {
    return Unary.shape(ctx);
  }

  @Override
  public List<INDArray> forward(ForwardContext ctx) {
    if (!integer(ctx.attrs().getString("dtype"))) {
      return List.of(Tensors.f32(ctx.input(0)).dup('c'));
    }
    return List.of(Unary.map(ctx.input(0), v -> v < 0 ? (float) Math.ceil(v) : (float) Math.floor(v)));
  }

  /** MRT's default: the input's scale and precision pass through. */
  @Override
  public Quantized quantize(QuantizeContext ctx) {
    return ctx.keepScale();
  }

  /** MRT's compile: the input passed through (CVM tensors are integers already). */
  @Override
  public List<Entry> lowerToCvm(LowerContext ctx) {
    return List.of(ctx.input(0));
  }
}
