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
import io.mrt.ops.support.Lowering;
import io.mrt.ops.support.Tensors;
import io.mrt.ops.support.TransposeFusion;
import io.mrt.ops.support.Unary;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * MXNet {@code Dropout} at inference: the identity (a copy of the input). Compiled away (the input
 * passes through).
 */
@MrtOp(value = "Dropout",
    attrs = {
        @Attr(name = "p", type = double.class, defaultValue = "0.5"),
        @Attr(name = "mode", type = String.class, defaultValue = "training"),
        @Attr(name = "axes", type = int[].class, defaultValue = "()"),
        @Attr(name = "cudnn_off", type = boolean.class, defaultValue = "False")})
public final class Dropout implements InferShapeHook, ForwardHook, FuseTransposeHook, QuantizeHook, LowerToCvmHook {
  /** For the registry. */
  public Dropout() {}

  @Override
  public List<Shape> inferShape(ShapeContext ctx) {
    return Unary.shape(ctx);
  }

  @Override
  public List<INDArray> forward(ForwardContext ctx) {
    return List.of(Tensors.f32(ctx.input(0)).dup('c'));
  }

  @Override
  public List<Entry> fuseTranspose(RewriteContext ctx) {
    return TransposeFusion.pushBelowUnary(ctx);
  }

  /** MRT's default: the input's scale and precision pass through. */
  @Override
  public Quantized quantize(QuantizeContext ctx) {
    return ctx.keepScale();
  }

  /** MRT's compile: the input passed through (inference). */
  @Override
  public List<Entry> lowerToCvm(LowerContext ctx) {
    return Lowering.identity(ctx);
  }
}
