package io.mrt.ops;

import io.mrt.api.graph.Attrs;
import io.mrt.api.graph.Entry;
import io.mrt.api.graph.Node;
import io.mrt.api.graph.Shape;
import io.mrt.api.hook.RewriteContext;
import io.mrt.ops.support.Axes;
import io.mrt.ops.support.TransposeFusion;
import java.util.List;

/**
 * Prepare-stage hooks of the layout ops.
 * <ul>
 *   <li>{@code transpose}: two transposes in a row become one ({@code axes[i] = inner[outer[i]]}),
 *       an identity transpose disappears; rewrite writes out the default (reversed) axes.
 *   <li>{@code slice_axis} becomes {@code slice} with {@code None} on the other axes (CVM's
 *       {@code strided_slice}), as MRT.
 *   <li>{@code Concat} of transposes that share one permutation {@code p} becomes the transpose of
 *       the concatenation along {@code p[dim]}.
 * </ul>
 */
final class ShapeRewrites {
  private ShapeRewrites() {}

  static List<Entry> transposeFuse(RewriteContext ctx) {
    Entry x = ctx.input(0);
    int[] axes = Transpose.axes(ctx, ctx.shapeOf(x).rank());
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
      return List.of(ctx.op(TransposeFusion.TRANSPOSE, ctx.node().name(), Attrs.of("axes", Attrs.tuple(merged)),
          inner.input(0)).out());
    }
    return Axes.isIdentity(axes) ? List.of(x) : ctx.unchanged();
  }

  static List<Entry> transposeRewrite(RewriteContext ctx) {
    if (ctx.attrs().getInts("axes").length > 0) {
      return ctx.unchanged();
    }
    int[] axes = Axes.reversed(ctx.shapeOf(ctx.input(0)).rank());
    return List.of(ctx.op(TransposeFusion.TRANSPOSE, ctx.node().name(),
        ctx.node().attrs().with("axes", Attrs.tuple(axes)), ctx.input(0)).out());
  }

  static List<Entry> sliceAxis(RewriteContext ctx) {
    Shape x = ctx.shapeOf(ctx.input(0));
    int axis = Axes.normalize(ctx, "axis", ctx.attrs().getInt("axis"), x.rank());
    long dim = x.dim(axis);
    long begin = ctx.attrs().getLong("begin");
    String e = ctx.attrs().getString("end", "None");
    long end = Attrs.isNone(e) ? dim : Attrs.parseLong("end", e);
    begin = begin < 0 ? begin + dim : begin;
    end = end < 0 ? end + dim : end;
    Integer[] b = new Integer[x.rank()];
    Integer[] en = new Integer[x.rank()];
    b[axis] = (int) begin;
    en[axis] = (int) end;
    Attrs attrs = Attrs.of("begin", Axes.optionalTuple(b), "end", Axes.optionalTuple(en));
    return List.of(ctx.op("slice", ctx.node().name(), attrs, ctx.input(0)).out());
  }

  static List<Entry> concatFuse(RewriteContext ctx) {
    int[] axes = TransposeFusion.commonAxes(ctx);
    if (axes == null) {
      return ctx.unchanged();
    }
    int dim = Axes.normalize(ctx, "dim", ctx.attrs().getInt("dim"), axes.length);
    Node node = ctx.node();
    Node inner = ctx.op(node.op(), node.name(), node.attrs().with("dim", Integer.toString(axes[dim])),
        TransposeFusion.untransposed(ctx));
    return List.of(ctx.op(TransposeFusion.TRANSPOSE, ctx.input(0).node().name(), Attrs.of("axes", Attrs.tuple(axes)),
        inner.out()).out());
  }
}
