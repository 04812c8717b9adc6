package io.mrt.ops;

import io.mrt.annotations.Attr;
import io.mrt.annotations.MrtOp;
import io.mrt.annotations.When;
import io.mrt.api.graph.Shape;
import io.mrt.api.hook.InferShapeHook;
import io.mrt.api.hook.ShapeContext;
import java.util.List;
import io.mrt.api.hook.InferPrecisionHook;
import io.mrt.api.hook.PrecisionContext;
import io.mrt.api.hook.QuantizeContext;
import io.mrt.api.hook.QuantizeHook;
import io.mrt.api.hook.Quantized;

/** MXNet {@code Activation(act_type=relu)} and {@code relu}, lowered to CVM {@code relu}. */
@MrtOp(value = "Activation", when = @When(attr = "act_type", equals = "relu"),
    attrs = @Attr(name = "act_type", type = String.class), emits = "relu")
public final class Relu implements InferShapeHook, QuantizeHook, InferPrecisionHook {
  /** For the registry. */
  public Relu() {}

  @Override
  public List<Shape> inferShape(ShapeContext ctx) {
    return List.of(ctx.inputShape(0));
  }

  /** MRT's default: the input's scale and precision pass through. */
  @Override
  public Quantized quantize(QuantizeContext ctx) {
    return ctx.keepScale();
  }

  /** CVM relu: the input's precision. */
  @Override
  public List<Integer> inferPrecision(PrecisionContext ctx) {
    return QuantizeRules.sameAsInput(ctx);
  }
}
