package fixture.errors;

import io.mrt.annotations.Attr;
import io.mrt.annotations.MrtOp;
import io.mrt.api.graph.Shape;
import io.mrt.api.hook.InferShapeHook;
import io.mrt.api.hook.ShapeContext;
import java.util.List;

@MrtOp(value = "BadDefault",
    attrs = {
        @Attr(name = "num_group", type = int.class, defaultValue = "1"),
        @Attr(name = "stride", type = int[].class, defaultValue = "(1, one)")})
public final class BadDefault implements InferShapeHook {
  public BadDefault() {}

  @Override
  public List<Shape> inferShape(ShapeContext ctx) {
    return List.of(ctx.inputShape(0));
  }
}
