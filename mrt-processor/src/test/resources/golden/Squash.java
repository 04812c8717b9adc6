package fixture.golden;

import io.mrt.annotations.MrtOp;
import io.mrt.annotations.When;
import io.mrt.api.graph.Shape;
import io.mrt.api.hook.InferShapeHook;
import io.mrt.api.hook.ShapeContext;
import java.util.List;

/** A second Activation variant keyed by the same attribute, with two values given unsorted. */
@MrtOp(value = "Activation", when = @When(attr = "act_type", equals = {"tanh", "softsign", "tanh"}))
public final class Squash implements InferShapeHook {
  public Squash() {}

  @Override
  public List<Shape> inferShape(ShapeContext ctx) {
    return List.of(ctx.inputShape(0));
  }
}
