package io.mrt.ops.support;

import io.mrt.api.graph.Attrs;
import io.mrt.api.graph.Entry;
import io.mrt.api.graph.Shape;
import io.mrt.api.hook.LowerContext;
import java.util.ArrayList;
import java.util.List;

/**
 * Shared code of the built-in {@code lowerToCvm} hooks (MRT's {@code compile}, spec
 * MRT_PIPELINE.md section 7): the CVM attributes are written explicitly (no MXNet reshape codes,
 * explicit axes and slice bounds), so the reference runtime's quirks (CVM_OPS.md section 7) are
 * never triggered.
 */
public final class Lowering {
  private Lowering() {}

  /** {@code True} or {@code False}: Python's spelling, as MRT writes it (the CVM parser takes any case). */
  public static String bool(boolean b) {
    return b ? "True" : "False";
  }

  /** A tuple attribute such as {@code (1, 2)}. */
  public static String tuple(long... v) {
    return Attrs.tuple(v);
  }

  /** A tuple attribute such as {@code (1, 2)}. */
  public static String tuple(int... v) {
    return Attrs.tuple(v);
  }

  /** The same CVM op on all (lowered) inputs, without attributes. */
  public static List<Entry> same(LowerContext ctx, String cvmOp) {
    return List.of(ctx.emit(cvmOp, Attrs.empty(), ctx.inputs().toArray(Entry[]::new)));
  }

  /** The lowered input 0, unchanged (ops the CVM does not need: Dropout, Cast). */
  public static List<Entry> identity(LowerContext ctx) {
    return List.of(ctx.input(0));
  }

  /**
   * A CVM reduction ({@code sum}, {@code max}) over the axes MXNet's attributes select, written as
   * an explicit axis list (never the empty list, whose {@code max} starts at 0 in the runtime and
   * which reduces every axis). When no axis is reduced (every axis listed with {@code exclude})
   * the reduction is the identity and nothing is emitted.
   */
  public static List<Entry> reduce(LowerContext ctx, String cvmOp) {
    Shape x = ctx.shapeOf(ctx.input(0));
    boolean[] r = Reduce.axes(ctx, x.rank());
    List<Integer> axes = new ArrayList<>();
    for (int i = 0; i < r.length; i++) {
      if (r[i]) {
        axes.add(i);
      }
    }
    if (axes.isEmpty()) {
      return identity(ctx);
    }
    Attrs a = Attrs.of("axis", tuple(axes.stream().mapToInt(Integer::intValue).toArray()),
        "keepdims", bool(ctx.attrs().getBool("keepdims")), "exclude", bool(false));
    return List.of(ctx.emit(cvmOp, a, ctx.input(0)));
  }

  /**
   * CVM {@code strided_slice} with explicit begin, end and stride on every axis, from the begin,
   * step and output size of each axis. A negative stride that runs past index 0 gets the end
   * {@code -(dim + 1)}, which the runtime maps to its exclusive {@code -1}.
   */
  public static List<Entry> stridedSlice(LowerContext ctx, long[] begin, long[] step, long[] out) {
    Shape x = ctx.shapeOf(ctx.input(0));
    long[] end = new long[begin.length];
    for (int i = 0; i < begin.length; i++) {
      end[i] = begin[i] + out[i] * step[i];
      if (step[i] > 0) {
        end[i] = Math.min(end[i], x.dim(i));
      } else if (end[i] < 0) {
        end[i] = -(x.dim(i) + 1);
      }
    }
    Attrs a = Attrs.of("begin", tuple(begin), "end", tuple(end), "stride", tuple(step));
    return List.of(ctx.emit("strided_slice", a, ctx.input(0)));
  }
}
