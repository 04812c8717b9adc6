package fixture.errors;

import io.mrt.annotations.MrtOp;
import io.mrt.api.graph.Shape;
import io.mrt.api.hook.InferShapeHook;
import io.mrt.api.hook.ShapeContext;
import java.util.List;

public final class InnerOp {
  @MrtOp("InnerOp")
  public final class Inner implements InferShapeHook {
    public Inner() {}

    @Override
    public List<Shape> inferShape(ShapeContext ctx) {
      return List.of(ctx.inputShape(0));
    }
  }
}
