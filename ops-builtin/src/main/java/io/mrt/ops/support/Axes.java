package io.mrt.ops.support;

import io.mrt.api.graph.Attrs;
import io.mrt.api.hook.OpContext;
import java.util.Arrays;
import java.util.List;

/** Axis arithmetic shared by the built-in ops: negative axes, permutations, None entries. */
public final class Axes {
  private Axes() {}

  /** {@code axis} in [0, rank), counting a negative axis from the end. */
  public static int normalize(OpContext ctx, String key, int axis, int rank) {
    int a = axis < 0 ? axis + rank : axis;
    if (a < 0 || a >= rank) {
      throw ctx.error("attribute '" + key + "': axis " + axis + " is out of range for rank " + rank);
    }
    return a;
  }

  /** Whether {@code perm} is 0, 1, ..., n-1. */
  public static boolean isIdentity(int[] perm) {
    for (int i = 0; i < perm.length; i++) {
      if (perm[i] != i) {
        return false;
      }
    }
    return true;
  }

  /** Checks that {@code perm} is a permutation of 0..rank-1. */
  public static int[] permutation(OpContext ctx, String key, int[] perm, int rank) {
    if (perm.length != rank) {
      throw ctx.error("attribute '" + key + "' must list " + rank + " axes, found " + Arrays.toString(perm));
    }
    boolean[] seen = new boolean[rank];
    int[] out = new int[rank];
    for (int i = 0; i < rank; i++) {
      int a = normalize(ctx, key, perm[i], rank);
      if (seen[a]) {
        throw ctx.error("attribute '" + key + "' repeats axis " + a + ": " + Arrays.toString(perm));
      }
      seen[a] = true;
      out[i] = a;
    }
    return out;
  }

  /** The reversed axes (MXNet's default transpose). */
  public static int[] reversed(int rank) {
    int[] out = new int[rank];
    for (int i = 0; i < rank; i++) {
      out[i] = rank - 1 - i;
    }
    return out;
  }

  /**
   * A tuple whose items may be {@code None}: {@code "(None, 2)"} gives {@code {null, 2}}; an absent
   * key gives an empty array.
   */
  public static Integer[] optionalInts(Attrs attrs, String key) {
    String v = attrs.asMap().get(key);
    if (v == null || Attrs.isNone(v)) {
      return new Integer[0];
    }
    List<String> items = Attrs.tupleItems(key, v);
    Integer[] out = new Integer[items.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = Attrs.isNone(items.get(i)) ? null : Attrs.parseInt(key, items.get(i));
    }
    return out;
  }

  /** Formats a tuple with {@code None} for null items, as MXNet writes slice bounds. */
  public static String optionalTuple(Integer[] v) {
    StringBuilder b = new StringBuilder("(");
    for (int i = 0; i < v.length; i++) {
      if (i > 0) {
        b.append(", ");
      }
      b.append(v[i] == null ? "None" : v[i].toString());
    }
    if (v.length == 1) {
      b.append(',');
    }
    return b.append(')').toString();
  }
}
