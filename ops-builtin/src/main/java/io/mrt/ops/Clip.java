package io.mrt.ops;

import io.mrt.annotations.Attr;
import io.mrt.annotations.MrtOp;
import io.mrt.api.graph.Entry;
import io.mrt.api.graph.Shape;
import io.mrt.api.hook.ForwardContext;
import io.mrt.api.hook.ForwardHook;
import io.mrt.api.hook.FuseTransposeHook;
import io.mrt.api.hook.InferShapeHook;
import io.mrt.api.hook.LowerContext;
import io.mrt.api.hook.LowerToCvmHook;
import io.mrt.api.hook.QuantizeContext;
import io.mrt.api.hook.QuantizeHook;
import io.mrt.api.hook.Quantized;
import io.mrt.api.hook.RewriteContext;
import io.mrt.api.hook.ShapeContext;
import io.mrt.ops.support.QuantizeRules;
import io.mrt.ops.support.Tensors;
import io.mrt.ops.support.TransposeFusion;
import io.mrt.ops.support.Unary;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** MXNet {@code clip}: {@code min(max(x, a_min), a_max)}; lowered to CVM {@code clip}. */
@MrtOp(value = "clip",
    attrs = {
        @Attr(name = "a_min", type = double.class),
        @Attr(name = "a_max", type = double.class)},
    emits = "clip")
public final class Clip implements InferShapeHook, ForwardHook, FuseTransposeHook, QuantizeHook, LowerToCvmHook {
  /** For the registry. */
  public Clip() {}

  @Override
  public List<Shape> inferShape(ShapeContext ctx) {
    if (ctx.attrs().getDouble("a_min") > ctx.attrs().getDouble("a_max")) {
      throw ctx.error("a_min " + ctx.attrs().getDouble("a_min") + " is greater than a_max " + ctx.attrs().getDouble("a_max"));
    }
    return Unary.shape(ctx);
  }

  @Override
  public List<INDArray> forward(ForwardContext ctx) {
    float lo = (float) ctx.attrs().getDouble("a_min");
    float hi = (float) ctx.attrs().getDouble("a_max");
    INDArray x = ctx.input(0);
    if (ctx.mayOverwrite(0) && x.dataType() == DataType.FLOAT && x.length() > 0 && Tensors.dense(x)) {
      // element-wise, so in the buffer's own order (an NHWC buffer stays one), written back in place
      float[] v = Tensors.bufferFloats(x);
      clip(v, lo, hi);
      Tensors.putBufferFloats(x, v);
      return List.of(x);
    }
    float[] v = Tensors.floats(x);
    clip(v, lo, hi);
    return List.of(Tensors.of(v, x.shape()));
  }

  /** A loop of its own (rather than Unary.map's shared call site) that the JIT compiles to vector code. */
  private static void clip(float[] v, float lo, float hi) {
    for (int i = 0; i < v.length; i++) {
      float e = v[i];
      v[i] = e < lo ? lo : (e > hi ? hi : e);
    }
  }

  @Override
  public List<Entry> fuseTranspose(RewriteContext ctx) {
    return TransposeFusion.pushBelowUnary(ctx);
  }

  /** MRT's clip: see {@link QuantizeRules#clip}. */
  @Override
  public Quantized quantize(QuantizeContext ctx) {
    return QuantizeRules.clip(ctx);
  }

  /** CVM {@code clip} with the integer bounds the quantize stage wrote. */
  @Override
  public List<Entry> lowerToCvm(LowerContext ctx) {
    long lo = (long) ctx.attrs().getDouble("a_min");
    long hi = (long) ctx.attrs().getDouble("a_max");
    return List.of(ctx.emit("clip", io.mrt.api.graph.Attrs.of("a_min", String.valueOf(lo), "a_max", String.valueOf(hi)), ctx.input(0)));
  }
}
