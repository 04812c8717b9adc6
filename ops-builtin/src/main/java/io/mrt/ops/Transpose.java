package io.mrt.ops;

import io.mrt.annotations.Attr;
import io.mrt.annotations.MrtOp;
import io.mrt.api.graph.Attrs;
import io.mrt.api.graph.Entry;
import io.mrt.api.graph.Node;
import io.mrt.api.graph.Shape;
import io.mrt.api.hook.ForwardContext;
import io.mrt.api.hook.ForwardHook;
import io.mrt.api.hook.FuseTransposeHook;
import io.mrt.api.hook.InferShapeHook;
import io.mrt.api.hook.RewriteContext;
import io.mrt.api.hook.RewriteHook;
import io.mrt.api.hook.ShapeContext;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * MXNet {@code transpose}: output axis {@code i} is input axis {@code axes[i]}; empty
 * {@code axes} reverses the axes. Transpose fusion: two transposes in a row become one
 * ({@code axes[i] = inner[outer[i]]}) and an identity transpose disappears. Rewrite: the default
 * axes are written out.
 */
@MrtOp(value = "transpose", attrs = @Attr(name = "axes", type = int[].class, defaultValue = "()"),
    emits = "transpose")
public final class Transpose implements InferShapeHook, ForwardHook, FuseTransposeHook, RewriteHook {
  /** For the registry. */
  public Transpose() {}

  static int[] axes(io.mrt.api.hook.OpContext ctx, int rank) {
    int[] axes = ctx.attrs().getInts("axes");
    return axes.length == 0 ? Axes.reversed(rank) : Axes.permutation(ctx, "axes", axes, rank);
  }

  @Override
  public List<Shape> inferShape(ShapeContext ctx) {
    Shape x = ctx.inputShape(0);
    int[] axes = axes(ctx, x.rank());
    long[] out = new long[axes.length];
    for (int i = 0; i < axes.length; i++) {
      out[i] = x.dim(axes[i]);
    }
    return List.of(Shape.of(out));
  }

  @Override
  public List<INDArray> forward(ForwardContext ctx) {
    INDArray x = ctx.input(0);
    return List.of(x.permute(axes(ctx, x.rank())).dup('c'));
  }

  @Override
  public List<Entry> fuseTranspose(RewriteContext ctx) {
    Entry x = ctx.input(0);
    int[] axes = axes(ctx, ctx.shapeOf(x).rank());
    if (TransposeFusion.isTranspose(x)) {
      Node inner = x.node();
      int[] innerAxes = TransposeFusion.axesOf(ctx, inner);
      int[] merged = new int[axes.length];
      for (int i = 0; i < axes.length; i++) {
        merged[i] = innerAxes[axes[i]];
      }
      if (Axes.isIdentity(merged)) {
        return List.of(inner.input(0));
      }
      return List.of(ctx.op("transpose", ctx.node().name(), Attrs.of("axes", Attrs.tuple(merged)), inner.input(0)).out());
    }
    if (Axes.isIdentity(axes)) {
      return List.of(x);
    }
    return ctx.unchanged();
  }

  @Override
  public List<Entry> rewrite(RewriteContext ctx) {
    if (ctx.attrs().getInts("axes").length > 0) {
      return ctx.unchanged();
    }
    int[] axes = Axes.reversed(ctx.shapeOf(ctx.input(0)).rank());
    return List.of(ctx.op("transpose", ctx.node().name(), ctx.node().attrs().with("axes", Attrs.tuple(axes)),
        ctx.input(0)).out());
  }
}
