package fixture.errors;

import io.mrt.annotations.MrtOp;
import io.mrt.annotations.When;
import io.mrt.api.graph.Shape;
import io.mrt.api.hook.InferShapeHook;
import io.mrt.api.hook.ShapeContext;
import java.util.List;

@MrtOp(value = "Activation",
    when = {@When(attr = "act_type", equals = "relu"), @When(attr = "mode", equals = "fast")})
public final class ManyWhen implements InferShapeHook {
  public ManyWhen() {}

  @Override
  public List<Shape> inferShape(ShapeContext ctx) {
    return List.of(ctx.inputShape(0));
  }
}
