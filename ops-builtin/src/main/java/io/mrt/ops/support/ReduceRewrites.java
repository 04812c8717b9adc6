package io.mrt.ops.support;

import io.mrt.api.graph.Attrs;
import io.mrt.api.graph.Entry;
import io.mrt.api.graph.Node;
import io.mrt.api.graph.Shape;
import io.mrt.api.hook.RewriteContext;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Prepare-stage hooks of the reductions ({@code sum}, {@code mean}, {@code max}).
 * <ul>
 *   <li>Transpose fusion: a reduction of {@code transpose(X, p)} reduces {@code X} over the
 *       mapped axes {@code p[a]}; a transpose follows when the kept axes come out in another
 *       order (with {@code keepdims}: the transpose {@code p} itself).
 *   <li>Rewrite: {@code exclude} is replaced by the explicit axes (MRT's validate of sum), and
 *       {@code mean} becomes {@code sum} times the constant {@code 1/n} ({@code n} the number of
 *       elements reduced into each output).
 * </ul>
 */
public final class ReduceRewrites {
  private ReduceRewrites() {}

  private static int[] indices(boolean[] chosen) {
    return IntStream.range(0, chosen.length).filter(i -> chosen[i]).toArray();
  }

  public static List<Entry> fuseTranspose(RewriteContext ctx) {
    Entry x = ctx.input(0);
    if (!TransposeFusion.isTranspose(x)) {
      return ctx.unchanged();
    }
    Node t = x.node();
    int[] perm = TransposeFusion.axesOf(ctx, t);
    int rank = perm.length;
    boolean[] reducedY = Reduce.axes(ctx, rank);
    boolean[] reducedX = new boolean[rank];
    for (int i = 0; i < rank; i++) {
      reducedX[perm[i]] |= reducedY[i];
    }
    Node node = ctx.node();
    Attrs attrs = node.attrs().without("exclude").with("axis", Attrs.tuple(indices(reducedX)));
    Node inner = ctx.op(node.op(), node.name(), attrs, t.input(0));
    if (ctx.attrs().getBool("keepdims")) {
      return List.of(ctx.op(TransposeFusion.TRANSPOSE, t.name(), Attrs.of("axes", Attrs.tuple(perm)),
          inner.out()).out());
    }
    List<Integer> kept = new ArrayList<>();
    for (int i = 0; i < rank; i++) {
      if (!reducedY[i]) {
        kept.add(perm[i]);
      }
    }
    List<Integer> sorted = new ArrayList<>(kept);
    sorted.sort(null);
    int[] rest = kept.stream().mapToInt(sorted::indexOf).toArray();
    if (rest.length <= 1 || Axes.isIdentity(rest)) {
      return List.of(inner.out());
    }
    return List.of(ctx.op(TransposeFusion.TRANSPOSE, t.name(), Attrs.of("axes", Attrs.tuple(rest)),
        inner.out()).out());
  }

  public static List<Entry> rewrite(RewriteContext ctx) {
    Node node = ctx.node();
    Entry x = ctx.input(0);
    Shape xs = ctx.shapeOf(x);
    boolean[] reduced = Reduce.axes(ctx, xs.rank());
    boolean exclude = ctx.attrs().getBool("exclude");
    Attrs attrs = exclude ? node.attrs().without("exclude").with("axis", Attrs.tuple(indices(reduced)))
        : node.attrs();
    if (!"mean".equals(node.op())) {
      return exclude ? List.of(ctx.op(node.op(), node.name(), attrs, x).out()) : ctx.unchanged();
    }
    long n = 1;
    for (int i = 0; i < reduced.length; i++) {
      n *= reduced[i] ? xs.dim(i) : 1;
    }
    Node sum = ctx.op("sum", node.name() + "_sum", attrs, x);
    Entry inv = Consts.scalar(ctx, node.name() + "_scale", 1.0 / n);
    return List.of(ctx.op("broadcast_mul", node.name(), Attrs.empty(), sum.out(), inv).out());
  }
}
