package io.mrt.ops;

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
import io.mrt.ops.support.Broadcast;
import io.mrt.ops.support.Lowering;
import io.mrt.ops.support.QuantizeRules;
import io.mrt.ops.support.Tensors;
import io.mrt.ops.support.TransposeFusion;
import java.util.List;
import java.util.function.BinaryOperator;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The element-wise add and sub of two arrays of the same shape: a transpose of both inputs moves
 * below them; quantized with MRT's {@code _quantize_scale} (every input at one scale); lowered to
 * the CVM operator of the same name. A subclass gives the CVM operator and the float function.
 */
abstract class ElemwiseBinary implements InferShapeHook, ForwardHook, FuseTransposeHook, QuantizeHook, LowerToCvmHook {
  private final String cvmOp;
  private final BinaryOperator<INDArray> fn;

  ElemwiseBinary(String cvmOp, BinaryOperator<INDArray> fn) {
    this.cvmOp = cvmOp;
    this.fn = fn;
  }

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
    return List.of(Broadcast.apply(ctx, ctx.input(0), ctx.input(1), fn));
  }

  @Override
  public List<Entry> fuseTranspose(RewriteContext ctx) {
    return TransposeFusion.pushBelowElementwise(ctx);
  }

  /** MRT's {@code _quantize_scale} at 16 bits: see {@link QuantizeRules#commonScale}. */
  @Override
  public Quantized quantize(QuantizeContext ctx) {
    return QuantizeRules.commonScale(ctx, false);
  }

  /** The CVM operator of the same name. */
  @Override
  public List<Entry> lowerToCvm(LowerContext ctx) {
    return Lowering.same(ctx, cvmOp);
  }
}
