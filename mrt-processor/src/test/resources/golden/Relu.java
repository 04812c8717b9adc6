package fixture.golden;

import io.mrt.annotations.Attr;
import io.mrt.annotations.MrtOp;
import io.mrt.annotations.When;
import io.mrt.api.graph.Shape;
import io.mrt.api.hook.InferShapeHook;
import io.mrt.api.hook.ShapeContext;
import java.util.List;

/** A variant of Activation keyed by act_type, that may not stay in float. */
@MrtOp(value = {"Activation", "relu"},
    when = @When(attr = "act_type", equals = "relu"),
    attrs = @Attr(name = "act_type", type = String.class, defaultValue = "relu"),
    restorable = false,
    emits = "relu")
public final class Relu implements InferShapeHook {
  public Relu() {}

  @Override
  public List<Shape> inferShape(ShapeContext ctx) {
    return List.of(ctx.inputShape(0));
  }
}
