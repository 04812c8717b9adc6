package io.mrt.ops;

import io.mrt.annotations.Attr;
import io.mrt.annotations.MrtOp;
import io.mrt.api.graph.Attrs;
import io.mrt.api.graph.Entry;
import io.mrt.api.graph.Shape;
import io.mrt.api.hook.ForwardContext;
import io.mrt.api.hook.ForwardHook;
import io.mrt.api.hook.InferShapeHook;
import io.mrt.api.hook.OpContext;
import io.mrt.api.hook.RewriteContext;
import io.mrt.api.hook.RewriteHook;
import io.mrt.api.hook.ShapeContext;
import io.mrt.ops.support.Axes;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/** MXNet {@code SwapAxis} ({@code swapaxes}): exchanges two axes. Rewritten into {@code transpose}. */
@MrtOp(value = {"SwapAxis", "swapaxes"},
    attrs = {
        @Attr(name = "dim1", type = int.class, defaultValue = "0"),
        @Attr(name = "dim2", type = int.class, defaultValue = "0")})
public final class SwapAxis implements InferShapeHook, ForwardHook, RewriteHook {
  /** For the registry. */
  public SwapAxis() {}

  static int[] perm(OpContext ctx, int rank) {
    int d1 = Axes.normalize(ctx, "dim1", ctx.attrs().getInt("dim1"), rank);
    int d2 = Axes.normalize(ctx, "dim2", ctx.attrs().getInt("dim2"), rank);
    int[] p = new int[rank];
    for (int i = 0; i < rank; i++) {
      p[i] = i;
    }
    p[d1] = d2;
    p[d2] = d1;
    return p;
  }

  @Override
  public List<Shape> inferShape(ShapeContext ctx) {
    Shape x = ctx.inputShape(0);
    int[] p = perm(ctx, x.rank());
    long[] out = new long[p.length];
    for (int i = 0; i < p.length; i++) {
      out[i] = x.dim(p[i]);
    }
    return List.of(Shape.of(out));
  }

  @Override
  public List<INDArray> forward(ForwardContext ctx) {
    INDArray x = ctx.input(0);
    return List.of(x.permute(perm(ctx, x.rank())).dup('c'));
  }

  @Override
  public List<Entry> rewrite(RewriteContext ctx) {
    int[] p = perm(ctx, ctx.shapeOf(ctx.input(0)).rank());
    if (Axes.isIdentity(p)) {
      return List.of(ctx.input(0));
    }
    return List.of(ctx.op("transpose", ctx.node().name(), Attrs.of("axes", Attrs.tuple(p)), ctx.input(0)).out());
  }
}
