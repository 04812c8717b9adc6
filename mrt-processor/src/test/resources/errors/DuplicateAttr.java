package fixture.errors;

import io.mrt.annotations.Attr;
import io.mrt.annotations.MrtOp;
import io.mrt.api.graph.Shape;
import io.mrt.api.hook.InferShapeHook;
import io.mrt.api.hook.ShapeContext;
import java.util.List;

@MrtOp(value = "DuplicateAttr",
    attrs = {
        @Attr(name = "axis", type = int.class),
        @Attr(name = "axis", type = long.class)})
public final class DuplicateAttr implements InferShapeHook {
  public DuplicateAttr() {}

  @Override
  public List<Shape> inferShape(ShapeContext ctx) {
    return List.of(ctx.inputShape(0));
  }
}
