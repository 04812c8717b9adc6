package io.mrt.runtime.exec.cvm;

import java.util.ArrayList;
import java.util.List;

/**
 * An {@link Epilogue} as the fewest passes over a tile: clamps in a row are one clamp, and a clamp
 * followed by a right shift is the shift's saturating form with the composed bounds. The packed
 * kernels apply these passes (the first one together with the bias), so a conv2d's usual tail
 * cvm_clip + clip + cvm_right_shift is one pass instead of four.
 *
 * <p>Exactness: clamp(v, lo, hi) = min(max(v, lo), hi). For any bounds, clamp(clamp(v, a1, b1), a2,
 * b2) = clamp(v, clamp(a1, a2, b2), clamp(b1, a2, b2)): both sides are non-decreasing in v, equal
 * the identity where v lies in both intervals and are constant elsewhere with the same limits at
 * both ends (also when an interval is empty or the two are disjoint, where both are one constant).
 * The saturating shift is formula(clamp(v, a, b)) and the plain shift is formula(v), so a clamp
 * before either composes the same way. Multiplications (broadcast_mul) wrap and stay passes of
 * their own, as do the sign and zero forms.
 */
final class Passes {
  final int[] kind;
  final int[] a;
  final int[] b;
  final int[] s;

  private Passes(int[] kind, int[] a, int[] b, int[] s) {
    this.kind = kind;
    this.a = a;
    this.b = b;
    this.s = s;
  }

  /** The composed passes of {@code e}. */
  static Passes of(Epilogue e) {
    List<int[]> out = new ArrayList<>();
    for (int f = 0; f < e.kind.length; f++) {
      int k = e.kind[f];
      int[] last = out.isEmpty() ? null : out.get(out.size() - 1);
      if (last != null && last[0] == Epilogue.CLAMP
          && (k == Epilogue.CLAMP || k == Epilogue.SHIFT_SAT || k == Epilogue.SHIFT)) {
        int lo = last[1];
        int hi = last[2];
        if (k == Epilogue.SHIFT) {
          out.set(out.size() - 1, new int[] {Epilogue.SHIFT_SAT, lo, hi, e.s[f]});
        } else {
          int a2 = e.a[f];
          int b2 = e.b[f];
          out.set(out.size() - 1, new int[] {k, clamp(lo, a2, b2), clamp(hi, a2, b2), e.s[f]});
        }
        continue;
      }
      out.add(new int[] {k, e.a[f], e.b[f], e.s[f]});
    }
    int n = out.size();
    int[] kind = new int[n];
    int[] a = new int[n];
    int[] b = new int[n];
    int[] s = new int[n];
    for (int i = 0; i < n; i++) {
      kind[i] = out.get(i)[0];
      a[i] = out.get(i)[1];
      b[i] = out.get(i)[2];
      s[i] = out.get(i)[3];
    }
    return new Passes(kind, a, b, s);
  }

  private static int clamp(int v, int lo, int hi) {
    return Math.min(Math.max(v, lo), hi);
  }

  /** The passes applied to one value (bias already added). */
  int apply(int v) {
    for (int i = 0; i < kind.length; i++) {
      switch (kind[i]) {
        case Epilogue.CLAMP -> v = Math.min(Math.max(v, a[i]), b[i]);
        case Epilogue.SHIFT_SAT -> v = ((Math.min(Math.max(v, a[i]), b[i]) >> s[i]) + 1) >> 1;
        case Epilogue.SHIFT -> v = ((v >> s[i]) + 1) >> 1;
        case Epilogue.SIGN -> v = v >> 31;
        case Epilogue.MUL -> v = v * a[i];
        default -> v = 0;
      }
    }
    return v;
  }
}
