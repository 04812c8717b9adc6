package io.mrt.ops;

import io.mrt.annotations.MrtOp;
import io.mrt.api.graph.Shape;
import io.mrt.api.hook.ForwardContext;
import io.mrt.api.hook.ForwardHook;
import io.mrt.api.hook.InferShapeHook;
import io.mrt.api.hook.ShapeContext;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/** MXNet {@code negative}: {@code -x}, lowered to CVM {@code negative}. */
@MrtOp(value = "negative", emits = "negative")
public final class Negative implements InferShapeHook, ForwardHook {
  /** For the registry. */
  public Negative() {}

  @Override
  public List<Shape> inferShape(ShapeContext ctx) {
    return List.of(ctx.inputShape(0));
  }

  @Override
  public List<INDArray> forward(ForwardContext ctx) {
    return List.of(ctx.input(0).neg());
  }
}
