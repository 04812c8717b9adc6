package io.mrt.ops;

import io.mrt.api.graph.Attrs;
import io.mrt.api.hook.OpContext;
import java.util.Arrays;

/** MXNet's reduce-axes semantics ({@code axis}, {@code keepdims}, {@code exclude}). */
final class Reductions {
  private Reductions() {}

  /**
   * The axes to reduce, sorted and distinct: all axes when {@code axis} is absent, {@code None} or
   * {@code ()}; the complement when {@code exclude} is true.
   */
  static int[] axes(OpContext ctx, Attrs attrs, int rank) {
    String raw = attrs.asMap().get("axis");
    boolean all = raw == null || Attrs.isNone(raw) || Attrs.tupleItems("axis", raw).isEmpty();
    boolean[] chosen = new boolean[rank];
    if (all) {
      Arrays.fill(chosen, true);
    } else {
      for (int a : Attrs.parseInts("axis", raw)) {
        chosen[Axes.normalize(ctx, "axis", a, rank)] = true;
      }
      if (attrs.getBool("exclude", false)) {
        for (int i = 0; i < rank; i++) {
          chosen[i] = !chosen[i];
        }
      }
    }
    return indices(chosen);
  }

  static int[] indices(boolean[] chosen) {
    int n = 0;
    for (boolean c : chosen) {
      n += c ? 1 : 0;
    }
    int[] out = new int[n];
    int k = 0;
    for (int i = 0; i < chosen.length; i++) {
      if (chosen[i]) {
        out[k++] = i;
      }
    }
    return out;
  }

  /** The output shape of a reduction of {@code in} over {@code axes}. */
  static long[] outShape(long[] in, int[] axes, boolean keepdims) {
    boolean[] red = new boolean[in.length];
    for (int a : axes) {
      red[a] = true;
    }
    if (keepdims) {
      long[] out = in.clone();
      for (int a : axes) {
        out[a] = 1;
      }
      return out;
    }
    int kept = in.length - axes.length;
    if (kept == 0) {
      return new long[] {1};
    }
    long[] out = new long[kept];
    int k = 0;
    for (int i = 0; i < in.length; i++) {
      if (!red[i]) {
        out[k++] = in[i];
      }
    }
    return out;
  }
}
