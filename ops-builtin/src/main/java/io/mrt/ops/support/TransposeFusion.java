package io.mrt.ops.support;

import io.mrt.api.graph.Attrs;
import io.mrt.api.graph.Entry;
import io.mrt.api.graph.Node;
import io.mrt.api.hook.RewriteContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * MRT's transpose fusion moves for ops that commute with a transpose: a unary op applied to a
 * transpose, or an elementwise op whose inputs are all the same transpose, runs first on the
 * untransposed data and one transpose follows it. The op keeps its name; the moved transpose keeps
 * the transpose's name (made unique when the old transpose is still in use).
 */
public final class TransposeFusion {
  /** The MXNet op name of a transpose. */
  public static final String TRANSPOSE = "transpose";

  private TransposeFusion() {}

  /** Whether the entry is output 0 of a {@code transpose} node. */
  public static boolean isTranspose(Entry e) {
    return TRANSPOSE.equals(e.node().op());
  }

  /** The explicit permutation of a transpose node (its default reverses the axes). */
  public static int[] axesOf(RewriteContext ctx, Node transpose) {
    int rank = ctx.shapeOf(transpose.input(0)).rank();
    int[] axes = transpose.attrs().getInts("axes", new int[0]);
    return axes.length == 0 ? Axes.reversed(rank) : Axes.permutation(ctx, "axes", axes, rank);
  }

  /** {@code op(transpose(X))} becomes {@code transpose(op(X))}; anything else is unchanged. */
  public static List<Entry> pushBelowUnary(RewriteContext ctx) {
    Node node = ctx.node();
    if (node.inputs().size() != 1 || node.numOutputs() != 1 || !isTranspose(ctx.input(0))) {
      return ctx.unchanged();
    }
    Node t = ctx.input(0).node();
    Node inner = ctx.op(node.op(), node.name(), node.attrs(), t.input(0));
    Node moved = ctx.op(TRANSPOSE, t.name(), Attrs.of("axes", Attrs.tuple(axesOf(ctx, t))), inner.out());
    return List.of(moved.out());
  }

  /**
   * {@code op(transpose(A, p), transpose(B, p), ...)} becomes {@code transpose(op(A, B, ...), p)}
   * when every input is a transpose with the same permutation {@code p}.
   */
  public static List<Entry> pushBelowElementwise(RewriteContext ctx) {
    int[] axes = commonAxes(ctx);
    if (axes == null) {
      return ctx.unchanged();
    }
    Node node = ctx.node();
    Node inner = ctx.op(node.op(), node.name(), node.attrs(), untransposed(ctx));
    Node moved = ctx.op(TRANSPOSE, ctx.input(0).node().name(), Attrs.of("axes", Attrs.tuple(axes)), inner.out());
    return List.of(moved.out());
  }

  /** The permutation shared by all inputs when each is a transpose, else null. */
  public static int[] commonAxes(RewriteContext ctx) {
    if (ctx.inputs().isEmpty() || ctx.node().numOutputs() != 1) {
      return null;
    }
    int[] axes = null;
    for (Entry e : ctx.inputs()) {
      if (!isTranspose(e)) {
        return null;
      }
      int[] a = axesOf(ctx, e.node());
      if (axes != null && !Arrays.equals(axes, a)) {
        return null;
      }
      axes = a;
    }
    return axes;
  }

  /** The inputs of the input transposes. */
  public static Entry[] untransposed(RewriteContext ctx) {
    List<Entry> xs = new ArrayList<>();
    for (Entry e : ctx.inputs()) {
      xs.add(e.node().input(0));
    }
    return xs.toArray(new Entry[0]);
  }
}
