package fixture.deferred;

import io.mrt.annotations.MrtOp;
import io.mrt.api.graph.Shape;
import io.mrt.api.hook.ShapeContext;
import java.util.List;

/** Implements its hook through an interface that another processor generates. */
@MrtOp("Deferred")
public final class DeferredOp implements GeneratedShapeHook {
  public DeferredOp() {}

  @Override
  public List<Shape> inferShape(ShapeContext ctx) {
    return List.of(ctx.inputShape(0));
  }
}
