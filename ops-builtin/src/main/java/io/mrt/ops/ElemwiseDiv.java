package io.mrt.ops;

import io.mrt.annotations.MrtOp;
import io.mrt.api.graph.Shape;
import io.mrt.api.hook.ForwardContext;
import io.mrt.api.hook.ForwardHook;
import io.mrt.api.hook.InferShapeHook;
import io.mrt.api.hook.ShapeContext;
import io.mrt.ops.support.Broadcast;
import io.mrt.ops.support.Tensors;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/** MXNet {@code elemwise_div}: the quotient of two arrays of the same shape; CVM {@code broadcast_div}. */
@MrtOp(value = {"elemwise_div", "_div", "_Div"}, emits = "broadcast_div")
public final class ElemwiseDiv implements InferShapeHook, ForwardHook {
  /** For the registry. */
  public ElemwiseDiv() {}

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
    return List.of(Broadcast.apply(ctx, ctx.input(0), ctx.input(1), INDArray::div));
  }
}
