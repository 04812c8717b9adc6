package io.mrt.ops;

import io.mrt.annotations.MrtOp;
import io.mrt.api.graph.Shape;
import io.mrt.api.hook.ForwardContext;
import io.mrt.api.hook.ForwardHook;
import io.mrt.api.hook.InferShapeHook;
import io.mrt.api.hook.ShapeContext;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/** MXNet {@code elemwise_add}: the sum of two arrays of the same shape; CVM {@code elemwise_add}. */
@MrtOp(value = {"elemwise_add", "_plus", "_add", "_Plus"}, emits = "elemwise_add", inputPrecision = 16)
public final class ElemwiseAdd implements InferShapeHook, ForwardHook {
  /** For the registry. */
  public ElemwiseAdd() {}

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
    return List.of(Broadcast.apply(ctx, ctx.input(0), ctx.input(1), INDArray::add));
  }
}
