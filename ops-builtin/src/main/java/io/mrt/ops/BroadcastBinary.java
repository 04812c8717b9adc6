package io.mrt.ops;

import io.mrt.api.graph.Entry;
import io.mrt.api.graph.Shape;
import io.mrt.api.hook.ForwardContext;
import io.mrt.api.hook.ForwardHook;
import io.mrt.api.hook.InferShapeHook;
import io.mrt.api.hook.LowerContext;
import io.mrt.api.hook.LowerToCvmHook;
import io.mrt.api.hook.ShapeContext;
import io.mrt.ops.support.Broadcast;
import io.mrt.ops.support.Lowering;
import java.util.List;
import java.util.function.BinaryOperator;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A broadcast operator of two inputs (numpy broadcasting): an element-wise float function, lowered
 * to the CVM operator of the same name. A subclass gives the CVM operator and the float function,
 * and its quantize rule if it has one.
 */
abstract class BroadcastBinary implements InferShapeHook, ForwardHook, LowerToCvmHook {
  private final String cvmOp;
  private final BinaryOperator<INDArray> fn;

  BroadcastBinary(String cvmOp, BinaryOperator<INDArray> fn) {
    this.cvmOp = cvmOp;
    this.fn = fn;
  }

  @Override
  public List<Shape> inferShape(ShapeContext ctx) {
    if (ctx.inputShapes().size() != 2) {
      throw ctx.error("expected 2 inputs, found " + ctx.inputShapes().size());
    }
    return List.of(Broadcast.shape(ctx, ctx.inputShape(0), ctx.inputShape(1)));
  }

  @Override
  public List<INDArray> forward(ForwardContext ctx) {
    return List.of(Broadcast.apply(ctx, ctx.input(0), ctx.input(1), fn));
  }

  /** The CVM operator of the same name. */
  @Override
  public List<Entry> lowerToCvm(LowerContext ctx) {
    return Lowering.same(ctx, cvmOp);
  }
}
