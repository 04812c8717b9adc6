package fixture.golden;

import io.mrt.annotations.MrtOp;
import io.mrt.api.graph.Shape;
import io.mrt.api.hook.InferShapeHook;
import io.mrt.api.hook.ShapeContext;
import java.util.List;

/** Ops may be static nested classes; the key Flatten-like names give clashing field names. */
public final class Layers {
  private Layers() {}

  /** Field name OP_FLAT_TEN. */
  @MrtOp("flat_ten")
  public static final class FlatTen implements InferShapeHook {
    public FlatTen() {}

    @Override
    public List<Shape> inferShape(ShapeContext ctx) {
      return List.of(Shape.of(ctx.inputShape(0).size()));
    }
  }

  /** Also OP_FLAT_TEN before the suffix. */
  @MrtOp("FlatTen")
  public static final class FlatTenToo implements InferShapeHook {
    public FlatTenToo() {}

    @Override
    public List<Shape> inferShape(ShapeContext ctx) {
      return List.of(ctx.inputShape(0));
    }
  }
}
