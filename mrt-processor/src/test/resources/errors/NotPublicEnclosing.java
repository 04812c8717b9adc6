package fixture.errors;

import io.mrt.annotations.MrtOp;
import io.mrt.api.graph.Shape;
import io.mrt.api.hook.InferShapeHook;
import io.mrt.api.hook.ShapeContext;
import java.util.List;

final class NotPublicEnclosing {
  @MrtOp("NotPublicEnclosing")
  public static final class Nested implements InferShapeHook {
    public Nested() {}

    @Override
    public List<Shape> inferShape(ShapeContext ctx) {
      return List.of(ctx.inputShape(0));
    }
  }
}
