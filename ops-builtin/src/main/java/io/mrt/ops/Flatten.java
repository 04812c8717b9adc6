package io.mrt.ops;

import io.mrt.annotations.MrtOp;
import io.mrt.api.graph.Shape;
import io.mrt.api.hook.InferShapeHook;
import io.mrt.api.hook.ShapeContext;
import java.util.List;

/** MXNet {@code Flatten}: (d0, d1, ..., dn) to (d0, d1*...*dn); lowered to CVM {@code flatten}. */
@MrtOp(value = {"Flatten", "flatten"}, emits = "flatten")
public final class Flatten implements InferShapeHook {
  /** For the registry. */
  public Flatten() {}

  @Override
  public List<Shape> inferShape(ShapeContext ctx) {
    Shape x = ctx.inputShape(0);
    return List.of(Shape.of(x.dim(0), x.size() / x.dim(0)));
  }
}
