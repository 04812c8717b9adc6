package fixture.errors;

import io.mrt.annotations.Attr;
import io.mrt.annotations.MrtOp;
import io.mrt.api.graph.Shape;
import io.mrt.api.hook.InferShapeHook;
import io.mrt.api.hook.ShapeContext;
import java.util.List;

@MrtOp(value = "BadAttrType",
    attrs = {
        @Attr(name = "axes", type = List.class),
        @Attr(name = "axis", type = int.class, defaultValue = "0"),
        @Attr(name = "anything", type = Object.class)})
public final class BadAttrType implements InferShapeHook {
  public BadAttrType() {}

  @Override
  public List<Shape> inferShape(ShapeContext ctx) {
    return List.of(ctx.inputShape(0));
  }
}
