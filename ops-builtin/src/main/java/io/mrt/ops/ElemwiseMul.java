package io.mrt.ops;

import io.mrt.annotations.MrtOp;
import io.mrt.api.graph.Attrs;
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
import io.mrt.api.hook.RewriteHook;
import io.mrt.api.hook.ShapeContext;
import io.mrt.ops.support.Broadcast;
import io.mrt.ops.support.Lowering;
import io.mrt.ops.support.QuantizeRules;
import io.mrt.ops.support.Tensors;
import io.mrt.ops.support.TransposeFusion;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/** MXNet {@code elemwise_mul}: the product of two arrays of the same shape; rewritten into {@code broadcast_mul}. */
@MrtOp(value = {"elemwise_mul", "_mul", "_Mul"}, emits = "broadcast_mul", inputPrecision = 16)
public final class ElemwiseMul implements InferShapeHook, ForwardHook, FuseTransposeHook, RewriteHook, QuantizeHook, LowerToCvmHook {
  /** For the registry. */
  public ElemwiseMul() {}

  @Override
  public List<Shape> inferShape(ShapeContext ctx) {
    if (ctx.inputShapes().size() != 2) {
      throw ctx.error("expected 2 inputs, found " + ctx.inputShapes().size());
    }
    return List.of(Broadcast.same(ctx, ctx.inputShape(0), ctx.inputShape(1)));
  }

  @Override
  public List<INDArray> forward(ForwardContext ctx) {
    Broadcast.same(ctx, Tensors.shape(ctx.input(0)), Tensors.shape(ctx.input(1)));
    return List.of(Broadcast.apply(ctx, ctx.input(0), ctx.input(1), INDArray::mul));
  }

  @Override
  public List<Entry> fuseTranspose(RewriteContext ctx) {
    return TransposeFusion.pushBelowElementwise(ctx);
  }

  @Override
  public List<Entry> rewrite(RewriteContext ctx) {
    return List.of(ctx.op("broadcast_mul", ctx.node().name(), Attrs.empty(), ctx.input(0), ctx.input(1)).out());
  }

  /** MRT's broadcast_mul: see {@link QuantizeRules#multiply}. */
  @Override
  public Quantized quantize(QuantizeContext ctx) {
    return QuantizeRules.multiply(ctx);
  }

  /** CVM {@code broadcast_mul}. */
  @Override
  public List<Entry> lowerToCvm(LowerContext ctx) {
    return Lowering.same(ctx, "broadcast_mul");
  }
}
