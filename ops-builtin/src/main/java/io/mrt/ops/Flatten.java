package io.mrt.ops;

import io.mrt.annotations.MrtOp;
import io.mrt.api.graph.Shape;
import io.mrt.api.hook.InferShapeHook;
import io.mrt.api.hook.ShapeContext;
import java.util.List;
import io.mrt.api.hook.InferPrecisionHook;
import io.mrt.api.hook.PrecisionContext;
import io.mrt.api.hook.QuantizeContext;
import io.mrt.api.hook.QuantizeHook;
import io.mrt.api.hook.Quantized;

/** MXNet {@code Flatten}: (d0, d1, ..., dn) to (d0, d1*...*dn); lowered to CVM {@code flatten}. */
@MrtOp(value = {"Flatten", "flatten"}, emits = "flatten")
public final class Flatten implements InferShapeHook, QuantizeHook, InferPrecisionHook {
  /** For the registry. */
  public Flatten() {}

  @Override
  public List<Shape> inferShape(ShapeContext ctx) {
    Shape x = ctx.inputShape(0);
    return List.of(Shape.of(x.dim(0), x.size() / x.dim(0)));
  }

  /** MRT's default: the input's scale and precision pass through. */
  @Override
  public Quantized quantize(QuantizeContext ctx) {
    return ctx.keepScale();
  }

  /** CVM flatten: the input's precision. */
  @Override
  public List<Integer> inferPrecision(PrecisionContext ctx) {
    return QuantizeRules.sameAsInput(ctx);
  }
}
