package fixture.errors;

import io.mrt.annotations.Attr;
import io.mrt.annotations.MrtOp;
import io.mrt.api.graph.Shape;
import io.mrt.api.hook.InferShapeHook;
import io.mrt.api.hook.ShapeContext;
import java.util.List;

@MrtOp(value = "EmptyAttrName", attrs = @Attr(name = "", type = int.class))
public final class EmptyAttrName implements InferShapeHook {
  public EmptyAttrName() {}

  @Override
  public List<Shape> inferShape(ShapeContext ctx) {
    return List.of(ctx.inputShape(0));
  }
}
