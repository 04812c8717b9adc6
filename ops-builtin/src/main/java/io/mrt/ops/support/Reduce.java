package io.mrt.ops.support;

import io.mrt.api.graph.Attrs;
import io.mrt.api.graph.Shape;
import io.mrt.api.hook.ForwardContext;
import io.mrt.api.hook.OpContext;
import io.mrt.api.hook.ShapeContext;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Shared code of MXNet's reductions ({@code sum}, {@code mean}, {@code max}): {@code axis}
 * (None or empty: every axis, even with exclude), {@code keepdims}, {@code exclude} (reduce the axes not listed).
 * A reduction over every axis without keepdims gives shape (1,), as MXNet does.
 */
public final class Reduce {
  private Reduce() {}

  /** The kind of reduction. */
  public enum Kind { SUM, MEAN, MAX }

  /** Which axes of a rank-{@code rank} input are reduced. */
  public static boolean[] axes(OpContext ctx, int rank) {
    boolean[] r = new boolean[rank];
    String raw = ctx.attrs().getString("axis");
    int[] listed = Attrs.isNone(raw) ? new int[0] : ctx.attrs().getInts("axis");
    boolean exclude = ctx.attrs().getBool("exclude");
    if (listed.length == 0) {
      java.util.Arrays.fill(r, true); // MXNet: no axis reduces everything, exclude or not
      return r;
    }
    for (int a : listed) {
      int ax = Tensors.axis(ctx, "axis", a, rank);
      if (r[ax]) {
        throw ctx.error("axis " + Attrs.tuple(listed) + " lists axis " + ax + " twice");
      }
      r[ax] = true;
    }
    if (exclude) {
      for (int i = 0; i < rank; i++) {
        r[i] = !r[i];
      }
    }
    return r;
  }

  public static List<Shape> shape(ShapeContext ctx) {
    Shape x = ctx.inputShape(0);
    boolean[] r = axes(ctx, x.rank());
    boolean keep = ctx.attrs().getBool("keepdims");
    List<Long> d = new ArrayList<>();
    for (int i = 0; i < x.rank(); i++) {
      if (!r[i]) {
        d.add(x.dim(i));
      } else if (keep) {
        d.add(1L);
      }
    }
    if (d.isEmpty()) {
      d.add(1L);
    }
    return List.of(Shape.of(d.stream().mapToLong(Long::longValue).toArray()));
  }

  public static List<INDArray> forward(ForwardContext ctx, Kind kind) {
    INDArray x = Tensors.f32(ctx.input(0));
    boolean[] r = axes(ctx, x.rank());
    int[] dims = java.util.stream.IntStream.range(0, r.length).filter(i -> r[i]).toArray();
    long[] out = shape(ShapeOf.inputs(ctx)).get(0).dims();
    if (dims.length == 0) {
      return List.of(x.dup('c').reshape('c', out));
    }
    INDArray y = switch (kind) {
      case SUM -> x.sum(true, dims);
      case MEAN -> x.mean(true, dims);
      case MAX -> x.max(true, dims);
    };
    return List.of(Tensors.reshapeCopy(y, out));
  }
}
