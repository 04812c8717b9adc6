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
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * MXNet's axis reductions {@code sum}, {@code mean}, {@code max}, {@code min} ({@code axis} absent
 * or {@code ()} reduces all axes; {@code exclude} reduces the other axes).
 *
 * <p>Transpose fusion: a reduction of {@code transpose(X, p)} reduces {@code X} over the mapped
 * axes, followed by a transpose of the kept axes when their order changed. Rewrite: {@code exclude}
 * is replaced by the explicit axes, and {@code mean} becomes {@code sum * (1/n)}
 * ({@code broadcast_mul} with a constant).
 */
@MrtOp(value = {"sum", "mean", "max", "min"},
    attrs = {
        @Attr(name = "axis", type = String.class, defaultValue = "None"),
        @Attr(name = "keepdims", type = boolean.class, defaultValue = "False"),
        @Attr(name = "exclude", type = boolean.class, defaultValue = "False")},
    emits = {"sum", "max"}, inputPrecision = 8)
public final class Reduce implements InferShapeHook, ForwardHook, FuseTransposeHook, RewriteHook {
  /** For the registry. */
  public Reduce() {}

  @Override
  public List<Shape> inferShape(ShapeContext ctx) {
    Shape x = ctx.inputShape(0);
    int[] axes = Reductions.axes(ctx, ctx.attrs(), x.rank());
    return List.of(Shape.of(Reductions.outShape(x.dims(), axes, ctx.attrs().getBool("keepdims"))));
  }

  @Override
  public List<INDArray> forward(ForwardContext ctx) {
    INDArray x = ctx.input(0);
    int[] axes = Reductions.axes(ctx, ctx.attrs(), x.rank());
    boolean keep = ctx.attrs().getBool("keepdims");
    long[] out = Reductions.outShape(x.shape(), axes, keep);
    if (axes.length == 0) {
      return List.of(x.dup().reshape(out));
    }
    INDArray r = switch (ctx.node().op()) {
      case "sum" -> x.sum(keep, axes);
      case "mean" -> x.mean(keep, axes);
      case "max" -> x.max(keep, axes);
      case "min" -> x.min(keep, axes);
      default -> throw ctx.error("not a reduction");
    };
    return List.of(r.reshape(out));
  }

  @Override
  public List<Entry> fuseTranspose(RewriteContext ctx) {
    Entry x = ctx.input(0);
    if (!TransposeFusion.isTranspose(x)) {
      return ctx.unchanged();
    }
    Node t = x.node();
    int[] perm = TransposeFusion.axesOf(ctx, t);
    int rank = perm.length;
    int[] axes = Reductions.axes(ctx, ctx.attrs(), rank);
    boolean keep = ctx.attrs().getBool("keepdims");
    boolean[] reduced = new boolean[rank];
    for (int a : axes) {
      reduced[perm[a]] = true;
    }
    int[] mapped = Reductions.indices(reduced);
    Node node = ctx.node();
    Attrs attrs = node.attrs().without("exclude").with("axis", Attrs.tuple(mapped));
    if (keep) {
      Node inner = ctx.op(node.op(), node.name(), attrs, t.input(0));
      return List.of(ctx.op("transpose", t.name(), Attrs.of("axes", Attrs.tuple(perm)), inner.out()).out());
    }
    // kept output axes in the order of the transposed input, named by their axis in X
    List<Integer> keptOrder = new ArrayList<>();
    boolean[] isReduced = new boolean[rank];
    for (int a : axes) {
      isReduced[a] = true;
    }
    for (int i = 0; i < rank; i++) {
      if (!isReduced[i]) {
        keptOrder.add(perm[i]);
      }
    }
    // position of each kept X axis in the reduced X output (increasing axis order)
    List<Integer> sortedKept = new ArrayList<>(keptOrder);
    sortedKept.sort(null);
    int[] rest = new int[keptOrder.size()];
    for (int i = 0; i < rest.length; i++) {
      rest[i] = sortedKept.indexOf(keptOrder.get(i));
    }
    Node inner = ctx.op(node.op(), node.name(), attrs, t.input(0));
    if (rest.length <= 1 || Axes.isIdentity(rest)) {
      return List.of(inner.out());
    }
    return List.of(ctx.op("transpose", t.name(), Attrs.of("axes", Attrs.tuple(rest)), inner.out()).out());
  }

  @Override
  public List<Entry> rewrite(RewriteContext ctx) {
    Node node = ctx.node();
    Entry x = ctx.input(0);
    Shape xs = ctx.shapeOf(x);
    int[] axes = Reductions.axes(ctx, ctx.attrs(), xs.rank());
    boolean exclude = ctx.attrs().getBool("exclude");
    Attrs attrs = exclude ? node.attrs().without("exclude").with("axis", Attrs.tuple(axes)) : node.attrs();
    if (!"mean".equals(node.op())) {
      return exclude ? List.of(ctx.op(node.op(), node.name(), attrs, x).out()) : ctx.unchanged();
    }
    long n = 1;
    for (int a : axes) {
      n *= xs.dim(a);
    }
    Node sum = ctx.op("sum", node.name() + "_sum", attrs, x);
    Entry inv = Consts.scalar(ctx, node.name() + "_scale", 1.0 / n);
    return List.of(ctx.op("broadcast_mul", node.name(), Attrs.empty(), sum.out(), inv).out());
  }
}
