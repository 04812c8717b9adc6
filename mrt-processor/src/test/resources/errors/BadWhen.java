package fixture.errors;

import io.mrt.annotations.MrtOp;
import io.mrt.annotations.When;
import io.mrt.api.graph.Shape;
import io.mrt.api.hook.InferShapeHook;
import io.mrt.api.hook.ShapeContext;
import java.util.List;

@MrtOp(value = "Activation",
    when = @When(attr = "act_type", equals = {}))
public final class BadWhen implements InferShapeHook {
  public BadWhen() {}

  @Override
  public List<Shape> inferShape(ShapeContext ctx) {
    return List.of(ctx.inputShape(0));
  }
}
