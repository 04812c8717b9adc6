package io.mrt.runtime.exec.cvm;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The inner loops written with the Vector API ({@code jdk.incubator.vector}): a GEMM block of four
 * weight rows by two vectors of columns whose eight int32 accumulators stay in registers,
 * and the fused epilogue. Integer lanes add and multiply modulo 2^32 exactly like scalar Java and
 * the reference runtime, and the order of a sum does not change a wrapped int32 result, so these
 * loops give the bits of the plain loops. Only {@link Kernels} touches this class, after checking
 * that the module is present.
 */
final class VectorKernels {
  static final VectorSpecies<Integer> S = IntVector.SPECIES_PREFERRED;
  /** Lanes per vector. */
  static final int L = S.length();
  /** Columns of a GEMM tile: four vectors. */
  static final int TP = 4 * L;

  /** Float lanes: as many as {@link #S} has int lanes (both species are the preferred width). */
  static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
  /**
   * 1.5 * 2^23, where float accumulators start: every float in [2^23, 2^24] is an integer and
   * every integer there is a float, so MAGIC + s is exact for every integer |s| &lt;= 2^22, and the
   * float's bits minus {@link #MAGIC_BITS} are s itself.
   */
  static final float MAGIC = 12582912f;
  /** {@code Float.floatToRawIntBits(MAGIC)}. */
  static final int MAGIC_BITS = 0x4B40_0000;

  private VectorKernels() {
  }

  /** Whether float vectors have as many lanes as int vectors (the float GEMM's tiles are int tiles). */
  static boolean floatLanesMatch() {
    return F.length() == L;
  }

  /**
   * facc[r * TP + j] = MAGIC + sum over kk &lt; k of w[w0 + r * ws + kk] * x[off[k0 + kk] + j0 + j],
   * for r &lt; 4 and j &lt; TP, in float fused multiply-adds: tap kk's row may lie anywhere in x (the
   * implicit GEMM over the input's planes, with no im2col copy). Exact when every w and x value is
   * an integer of magnitude at most 128 and k &lt;= 256: every partial sum s is then an integer with
   * |s| &lt;= 256 * 128 * 128 = 2^22, so MAGIC + s is a float and no step rounds.
   *
   * <p>Four weight rows by four vectors: sixteen accumulators in registers, which float FMA needs
   * to cover its latency (it issues two per cycle on this class of CPU, against one int32
   * multiply, which is why this path exists). The loop body has fewer operations than the int32
   * four-by-two block's (no separate add).
   */
  static void fblockAt(float[] w, int w0, int ws, int k0, int k, float[] x, int[] off, int j0, float[] facc) {
    FloatVector a00 = FloatVector.broadcast(F, MAGIC);
    FloatVector a01 = a00;
    FloatVector a02 = a00;
    FloatVector a03 = a00;
    FloatVector a10 = a00;
    FloatVector a11 = a00;
    FloatVector a12 = a00;
    FloatVector a13 = a00;
    FloatVector a20 = a00;
    FloatVector a21 = a00;
    FloatVector a22 = a00;
    FloatVector a23 = a00;
    FloatVector a30 = a00;
    FloatVector a31 = a00;
    FloatVector a32 = a00;
    FloatVector a33 = a00;
    int w1 = w0 + ws;
    int w2 = w1 + ws;
    int w3 = w2 + ws;
    for (int kk = 0; kk < k; kk++) {
      int c = off[k0 + kk] + j0;
      FloatVector x0 = FloatVector.fromArray(F, x, c);
      FloatVector x1 = FloatVector.fromArray(F, x, c + L);
      FloatVector x2 = FloatVector.fromArray(F, x, c + 2 * L);
      FloatVector x3 = FloatVector.fromArray(F, x, c + 3 * L);
      FloatVector b = FloatVector.broadcast(F, w[w0 + kk]);
      a00 = x0.fma(b, a00);
      a01 = x1.fma(b, a01);
      a02 = x2.fma(b, a02);
      a03 = x3.fma(b, a03);
      b = FloatVector.broadcast(F, w[w1 + kk]);
      a10 = x0.fma(b, a10);
      a11 = x1.fma(b, a11);
      a12 = x2.fma(b, a12);
      a13 = x3.fma(b, a13);
      b = FloatVector.broadcast(F, w[w2 + kk]);
      a20 = x0.fma(b, a20);
      a21 = x1.fma(b, a21);
      a22 = x2.fma(b, a22);
      a23 = x3.fma(b, a23);
      b = FloatVector.broadcast(F, w[w3 + kk]);
      a30 = x0.fma(b, a30);
      a31 = x1.fma(b, a31);
      a32 = x2.fma(b, a32);
      a33 = x3.fma(b, a33);
      if (kk == k - 1) {
        // stored in the last step for the reason block4x2 gives
        a00.intoArray(facc, 0);
        a01.intoArray(facc, L);
        a02.intoArray(facc, 2 * L);
        a03.intoArray(facc, 3 * L);
        a10.intoArray(facc, TP);
        a11.intoArray(facc, TP + L);
        a12.intoArray(facc, TP + 2 * L);
        a13.intoArray(facc, TP + 3 * L);
        a20.intoArray(facc, 2 * TP);
        a21.intoArray(facc, 2 * TP + L);
        a22.intoArray(facc, 2 * TP + 2 * L);
        a23.intoArray(facc, 2 * TP + 3 * L);
        a30.intoArray(facc, 3 * TP);
        a31.intoArray(facc, 3 * TP + L);
        a32.intoArray(facc, 3 * TP + 2 * L);
        a33.intoArray(facc, 3 * TP + 3 * L);
      }
    }
  }

  /**
   * acc[i] = s_i (first chunk) or acc[i] + s_i, for i &lt; 4 * TP, where facc[i] = MAGIC + s_i as
   * {@link #fblockAt} leaves it: the bits of the float minus {@link #MAGIC_BITS}, an int32 add.
   */
  static void collect(float[] facc, int[] acc, boolean first) {
    for (int i = 0; i < 4 * TP; i += L) {
      IntVector s = FloatVector.fromArray(F, facc, i).reinterpretAsInts().sub(MAGIC_BITS);
      if (first) {
        s.intoArray(acc, i);
      } else {
        s.add(IntVector.fromArray(S, acc, i)).intoArray(acc, i);
      }
    }
  }

  /**
   * Converts x[xo, xo + len) to floats at pl[d, d + len), with {@link #copyIn}'s whole-vector
   * rules (a run shorter than a vector is stored whole when the vector fits both arrays).
   */
  static void copyInF(int[] x, int xo, float[] pl, int d, int len) {
    if (len >= L) {
      int j = 0;
      for (; j + L <= len; j += L) {
        ((FloatVector) IntVector.fromArray(S, x, xo + j).convert(VectorOperators.I2F, 0)).intoArray(pl, d + j);
      }
      if (j < len) {
        ((FloatVector) IntVector.fromArray(S, x, xo + len - L).convert(VectorOperators.I2F, 0))
            .intoArray(pl, d + len - L);
      }
    } else if (len > 0 && xo + L <= x.length && d + L <= pl.length) {
      ((FloatVector) IntVector.fromArray(S, x, xo).convert(VectorOperators.I2F, 0)).intoArray(pl, d);
    } else {
      for (int j = 0; j < len; j++) {
        pl[d + j] = x[xo + j];
      }
    }
  }

  /**
   * acc[r * TP + j] = sum over kk of w[w0 + r * k + kk] * col[c0 + kk * cs + j], for r &lt; 4 and j &lt; nv * L.
   * The weight rows w0, w0 + k, w0 + 2k, w0 + 3k must exist (padded with zero rows).
   *
   * <p>Blocks of four rows by two vectors: eight int32 accumulators in registers. A four-by-four
   * block (sixteen) in one method is larger than C2 parses in one go (its node budget for inlining,
   * NodeCountInliningCutoff): it then delays the last stores to late inlining, which in some JVM
   * runs leaves them as calls, every accumulator boxed and the kernel 5 to 12x slower.
   */
  static void block(int[] w, int w0, int k, int[] col, int c0, int cs, int nv, int[] acc) {
    int v = 0;
    for (; v + 2 <= nv; v += 2) {
      block4x2(w, w0, k, col, c0 + v * L, cs, v * L, acc);
    }
    if (v < nv) {
      block4x1(w, w0, k, col, c0 + v * L, cs, v * L, acc);
    }
  }

  private static void block4x2(int[] w, int w0, int k, int[] col, int c0, int cs, int off, int[] acc) {
    IntVector a00 = IntVector.zero(S);
    IntVector a01 = a00;
    IntVector a10 = a00;
    IntVector a11 = a00;
    IntVector a20 = a00;
    IntVector a21 = a00;
    IntVector a30 = a00;
    IntVector a31 = a00;
    int w1 = w0 + k;
    int w2 = w1 + k;
    int w3 = w2 + k;
    for (int kk = 0, c = c0; kk < k; kk++, c += cs) {
      IntVector x0 = IntVector.fromArray(S, col, c);
      IntVector x1 = IntVector.fromArray(S, col, c + L);
      IntVector b = IntVector.broadcast(S, w[w0 + kk]);
      a00 = a00.add(x0.mul(b));
      a01 = a01.add(x1.mul(b));
      b = IntVector.broadcast(S, w[w1 + kk]);
      a10 = a10.add(x0.mul(b));
      a11 = a11.add(x1.mul(b));
      b = IntVector.broadcast(S, w[w2 + kk]);
      a20 = a20.add(x0.mul(b));
      a21 = a21.add(x1.mul(b));
      b = IntVector.broadcast(S, w[w3 + kk]);
      a30 = a30.add(x0.mul(b));
      a31 = a31.add(x1.mul(b));
      if (kk == k - 1) {
        // stored here, not after the loop: a vector stored after the loop is the loop's phi,
        // typed only as IntVector while C2 parses the method; the values computed in this step
        // are the add intrinsic's own results, of the species' exact class
        a00.intoArray(acc, off);
        a01.intoArray(acc, off + L);
        a10.intoArray(acc, TP + off);
        a11.intoArray(acc, TP + off + L);
        a20.intoArray(acc, 2 * TP + off);
        a21.intoArray(acc, 2 * TP + off + L);
        a30.intoArray(acc, 3 * TP + off);
        a31.intoArray(acc, 3 * TP + off + L);
      }
    }
    if (k == 0) {
      for (int r = 0; r < 4; r++) {
        Arrays.fill(acc, r * TP + off, r * TP + off + 2 * L, 0);
      }
    }
  }

  private static void block4x1(int[] w, int w0, int k, int[] col, int c0, int cs, int off, int[] acc) {
    IntVector a0 = IntVector.zero(S);
    IntVector a1 = a0;
    IntVector a2 = a0;
    IntVector a3 = a0;
    int w1 = w0 + k;
    int w2 = w1 + k;
    int w3 = w2 + k;
    for (int kk = 0, c = c0; kk < k; kk++, c += cs) {
      IntVector x0 = IntVector.fromArray(S, col, c);
      a0 = a0.add(x0.mul(IntVector.broadcast(S, w[w0 + kk])));
      a1 = a1.add(x0.mul(IntVector.broadcast(S, w[w1 + kk])));
      a2 = a2.add(x0.mul(IntVector.broadcast(S, w[w2 + kk])));
      a3 = a3.add(x0.mul(IntVector.broadcast(S, w[w3 + kk])));
      if (kk == k - 1) {
        // stored in the last step for the reason block4x2 gives
        a0.intoArray(acc, off);
        a1.intoArray(acc, TP + off);
        a2.intoArray(acc, 2 * TP + off);
        a3.intoArray(acc, 3 * TP + off);
      }
    }
    if (k == 0) {
      for (int r = 0; r < 4; r++) {
        Arrays.fill(acc, r * TP + off, r * TP + off + L, 0);
      }
    }
  }

  /**
   * y[yo + i] = passes(src[so + i] + bias) for i &lt; n: one pass per composed function over the row
   * (a GEMM tile's row, so it stays in L1), the first together with the bias. Each pass stores the
   * value its last operation returned, never a value merged from several branches or loop
   * iterations: C2 types such a merged value only as IntVector while it parses, and a vector store
   * it cannot type exactly may compile to a call that boxes every vector.
   */
  static void epilogue(Passes e, int[] src, int so, int bias, int[] y, int yo, int n) {
    int nv = n - n % L;
    int[] kind = e.kind;
    if (nv > 0) {
      if (kind.length == 0) {
        for (int i = 0; i < nv; i += L) {
          IntVector.fromArray(S, src, so + i).add(bias).intoArray(y, yo + i);
        }
      } else {
        pass(kind[0], e.a[0], e.b[0], e.s[0], src, so, bias, y, yo, nv);
        for (int f = 1; f < kind.length; f++) {
          pass(kind[f], e.a[f], e.b[f], e.s[f], y, yo, 0, y, yo, nv);
        }
      }
    }
    for (int i = nv; i < n; i++) {
      y[yo + i] = e.apply(src[so + i] + bias);
    }
  }

  /**
   * y[yo + i] = f(src[so + i] + bias) for i &lt; nv (a multiple of L), f one composed function.
   *
   * <p>The right shifts by {@code s} take the count as a vector ({@code IntVector.broadcast(S, s)}),
   * never as a scalar: JDK 17's C2 turns a scalar count into a shift-count vector that only holds the
   * count in lane 0, meant for the uniform shift instruction; in some compilations of this loop (an
   * on-stack replacement of a long pass, whose timing depends on the load of the machine) it is
   * given to the per-lane shift instead, which then shifts lane 0 by s and every other lane by 0.
   * A broadcast count is the same in every lane whichever instruction C2 picks; the constant
   * counts (1 of the rounding, 31 of the sign) are vectors too.
   */
  private static void pass(int kind, int a, int b, int s, int[] src, int so, int bias, int[] y, int yo, int nv) {
    switch (kind) {
      case Epilogue.CLAMP -> {
        for (int i = 0; i < nv; i += L) {
          IntVector.fromArray(S, src, so + i).add(bias).max(a).min(b).intoArray(y, yo + i);
        }
      }
      case Epilogue.SHIFT_SAT -> {
        IntVector count = IntVector.broadcast(S, s);
        IntVector one = IntVector.broadcast(S, 1);
        for (int i = 0; i < nv; i += L) {
          IntVector.fromArray(S, src, so + i).add(bias).max(a).min(b).lanewise(VectorOperators.ASHR, count).add(one)
              .lanewise(VectorOperators.ASHR, one).intoArray(y, yo + i);
        }
      }
      case Epilogue.SHIFT -> {
        IntVector count = IntVector.broadcast(S, s);
        IntVector one = IntVector.broadcast(S, 1);
        for (int i = 0; i < nv; i += L) {
          IntVector.fromArray(S, src, so + i).add(bias).lanewise(VectorOperators.ASHR, count).add(one)
              .lanewise(VectorOperators.ASHR, one).intoArray(y, yo + i);
        }
      }
      case Epilogue.SIGN -> {
        IntVector count = IntVector.broadcast(S, 31);
        for (int i = 0; i < nv; i += L) {
          IntVector.fromArray(S, src, so + i).add(bias).lanewise(VectorOperators.ASHR, count).intoArray(y, yo + i);
        }
      }
      case Epilogue.MUL -> {
        for (int i = 0; i < nv; i += L) {
          IntVector.fromArray(S, src, so + i).add(bias).mul(a).intoArray(y, yo + i);
        }
      }
      default -> Arrays.fill(y, yo, yo + nv, 0);
    }
  }

  /**
   * Copies x[xo, xo + len) to pl[d, d + len): whole vectors (the last one overlapping) when the row
   * has a vector's length, else one whole vector when it fits both arrays (the values past the row
   * land in pl[d + len, d + L), which the caller clears or overwrites), else value by value.
   */
  static void copyIn(int[] x, int xo, int[] pl, int d, int len) {
    if (len >= L) {
      int j = 0;
      for (; j + L <= len; j += L) {
        IntVector.fromArray(S, x, xo + j).intoArray(pl, d + j);
      }
      if (j < len) {
        IntVector.fromArray(S, x, xo + len - L).intoArray(pl, d + len - L);
      }
    } else if (len > 0 && xo + L <= x.length && d + L <= pl.length) {
      IntVector.fromArray(S, x, xo).intoArray(pl, d);
    } else {
      for (int j = 0; j < len; j++) {
        pl[d + j] = x[xo + j];
      }
    }
  }

  /**
   * Copies {@code rows} rows of {@code len} values from a[ao + p * from] to y[yo + p * len] (a plane
   * of y that only the caller writes). Rows shorter than a vector are stored as whole vectors when
   * the vector stays inside the plane: the values past the row land on the plane's later rows, which
   * are written after it.
   */
  static void copyRows(int[] a, int ao, int from, int[] y, int yo, int len, int rows) {
    int total = rows * len;
    for (int p = 0; p < rows; p++) {
      int d = yo + p * len;
      int sp = ao + p * from;
      if (len >= L) {
        int j = 0;
        for (; j + L <= len; j += L) {
          IntVector.fromArray(S, a, sp + j).intoArray(y, d + j);
        }
        if (j < len) {
          IntVector.fromArray(S, a, sp + len - L).intoArray(y, d + len - L);
        }
      } else if (p * len + L <= total && sp + L <= a.length) {
        IntVector.fromArray(S, a, sp).intoArray(y, d);
      } else {
        for (int j = 0; j < len; j++) {
          y[d + j] = a[sp + j];
        }
      }
    }
  }

  /** acc[i] = sum over t &lt; taps of w[wo + t] * x[src[t] + i], for i &lt; n (one register accumulator per vector). */
  static void taps(int[] acc, int n, int[] w, int wo, int[] src, int taps, int[] x) {
    int i = 0;
    for (; i + L <= n; i += L) {
      IntVector a = IntVector.zero(S);
      if (taps == 0) {
        a.intoArray(acc, i);
      }
      for (int t = 0; t < taps; t++) {
        a = a.add(IntVector.fromArray(S, x, src[t] + i).mul(w[wo + t]));
        if (t == taps - 1) {
          // stored in the last step for the reason block4x2 gives
          a.intoArray(acc, i);
        }
      }
    }
    for (; i < n; i++) {
      int a = 0;
      for (int t = 0; t < taps; t++) {
        a += w[wo + t] * x[src[t] + i];
      }
      acc[i] = a;
    }
  }

  /**
   * One depthwise plane of a stride-1 conv2d whose output has its input's size, in the plane's own
   * flat layout: y[yo + v * L + j] = bias + sum over taps t of w[wo + t] * (x[xo + v * L + j + off[t]]
   * where mask[(v * taps + t) * L + j] is -1, else 0), for v &lt; nv. A tap that falls in the padding
   * reads a neighbouring value and the mask zeroes it, so x must hold L values past
   * xo + (nv - 1) * L + max(off) and none is read below xo + min(off). The last vector is stored
   * whole (at most L - 1 values past the plane) into {@code last} at 0 when {@code last} is given.
   */
  static void planeFlat(int[] x, int xo, int[] y, int yo, int[] w, int wo, int bias, int[] mask, int[] off,
      int taps, int nv, int[] last) {
    for (int v = 0; v < nv; v++) {
      int[] dst = last != null && v == nv - 1 ? last : y;
      int d = dst == last ? 0 : yo + v * L;
      planeVector(x, xo + v * L, dst, d, w, wo, bias, mask, v * taps * L, off, taps);
    }
  }

  private static void planeVector(int[] x, int xo, int[] y, int yo, int[] w, int wo, int bias, int[] mask, int mo,
      int[] off, int taps) {
    IntVector a = IntVector.broadcast(S, bias);
    if (taps == 0) {
      a.intoArray(y, yo);
    }
    for (int t = 0; t < taps; t++) {
      a = a.add(IntVector.fromArray(S, x, xo + off[t]).and(IntVector.fromArray(S, mask, mo + t * L))
          .mul(w[wo + t]));
      if (t == taps - 1) {
        // stored in the last step for the reason block4x2 gives
        a.intoArray(y, yo);
      }
    }
  }

  /**
   * wm[i * L + j] = w[wo + i % taps] &amp; mask[i * L + j] for i &lt; rows: the weights of a depthwise
   * channel, one vector per (output vector, tap), zero where the mask is.
   */
  static void maskWeights(int[] w, int wo, int taps, int[] mask, int rows, int[] wm) {
    for (int i = 0; i < rows; i++) {
      IntVector.fromArray(S, mask, i * L).and(w[wo + i % taps]).intoArray(wm, i * L);
    }
  }

  /**
   * For k0 &lt;= k &lt; k0 + cnt: f(bias + sum over t &lt; taps of x[xo[k] + off[t] + j] * wm[wmo + t * L + j]) for
   * lanes j, stored at y[yo[k]]. f is given by {@code tail} = {kind, lo, hi, s, m, lo2, hi2, s2}:
   * kind 0 the identity, 1 clamp to [lo, hi], 2 the saturating shift ((clamp(v, lo, hi) &gt;&gt; s)
   * + 1) &gt;&gt; 1, 3 (nine taps only) clamp to [lo, hi], times m (wrapping), then the saturating
   * shift with lo2, hi2, s2. The masked weights are loaded once for all k.
   */
  static void depthwiseVectors(int[] x, int[] xo, int k0, int cnt, int[] off, int taps, int[] wm, int wmo, int bias,
      int[] tail, int[] y, int[] yo) {
    if (taps == 9) {
      switch (tail[0]) {
        case 1 -> depthwise9Clamp(x, xo, k0, cnt, off, wm, wmo, bias, tail, y, yo);
        case 2 -> depthwise9Shift(x, xo, k0, cnt, off, wm, wmo, bias, tail, y, yo);
        case 3 -> depthwise9Scaled(x, xo, k0, cnt, off, wm, wmo, bias, tail, y, yo);
        default -> depthwise9Plain(x, xo, k0, cnt, off, wm, wmo, bias, tail, y, yo);
      }
      return;
    }
    int kind = tail[0];
    int lo = tail[1];
    int hi = tail[2];
    // the shift count as a vector, for the reason pass gives
    IntVector count = IntVector.broadcast(S, tail[3]);
    IntVector one = IntVector.broadcast(S, 1);
    for (int k = k0; k < k0 + cnt; k++) {
      int dOff = yo[k];
      IntVector a = IntVector.broadcast(S, bias);
      for (int t = 0; t < taps; t++) {
        a = a.add(IntVector.fromArray(S, x, xo[k] + off[t]).mul(IntVector.fromArray(S, wm, wmo + t * L)));
        if (t == taps - 1) {
          // stored in the last step for the reason block4x2 gives
          if (kind == 1) {
            a.max(lo).min(hi).intoArray(y, dOff);
          } else if (kind == 2) {
            a.max(lo).min(hi).lanewise(VectorOperators.ASHR, count).add(one).lanewise(VectorOperators.ASHR, one)
                .intoArray(y, dOff);
          } else {
            a.intoArray(y, dOff);
          }
        }
      }
    }
  }

  /*
   * The nine-tap kernels, unrolled, one method per tail, so that each compiled method holds only
   * its own tail's operations: C2 compiles a method's vector operations as intrinsics only while
   * what it inlines stays within its budget (see block), and one method with every tail as a
   * branch would hold about 60.
   */

  /** {@link #depthwiseVectors} for nine taps and no tail (kind 0): the nine masked weight vectors stay in registers. */
  private static void depthwise9Plain(int[] x, int[] xo, int k0, int cnt, int[] off, int[] wm, int wmo, int bias,
      int[] tail, int[] y, int[] yo) {
    IntVector w0 = IntVector.fromArray(S, wm, wmo);
    IntVector w1 = IntVector.fromArray(S, wm, wmo + L);
    IntVector w2 = IntVector.fromArray(S, wm, wmo + 2 * L);
    IntVector w3 = IntVector.fromArray(S, wm, wmo + 3 * L);
    IntVector w4 = IntVector.fromArray(S, wm, wmo + 4 * L);
    IntVector w5 = IntVector.fromArray(S, wm, wmo + 5 * L);
    IntVector w6 = IntVector.fromArray(S, wm, wmo + 6 * L);
    IntVector w7 = IntVector.fromArray(S, wm, wmo + 7 * L);
    IntVector w8 = IntVector.fromArray(S, wm, wmo + 8 * L);
    IntVector bv = IntVector.broadcast(S, bias);
    int o0 = off[0];
    int o1 = off[1];
    int o2 = off[2];
    int o3 = off[3];
    int o4 = off[4];
    int o5 = off[5];
    int o6 = off[6];
    int o7 = off[7];
    int o8 = off[8];
    for (int k = k0; k < k0 + cnt; k++) {
      int b = xo[k];
      IntVector a0 = IntVector.fromArray(S, x, b + o0).mul(w0).add(IntVector.fromArray(S, x, b + o1).mul(w1));
      IntVector a1 = IntVector.fromArray(S, x, b + o2).mul(w2).add(IntVector.fromArray(S, x, b + o3).mul(w3));
      IntVector a2 = IntVector.fromArray(S, x, b + o4).mul(w4).add(IntVector.fromArray(S, x, b + o5).mul(w5));
      IntVector a3 = IntVector.fromArray(S, x, b + o6).mul(w6).add(IntVector.fromArray(S, x, b + o7).mul(w7));
      IntVector.fromArray(S, x, b + o8).mul(w8).add(bv).add(a0.add(a1)).add(a2.add(a3))
          .intoArray(y, yo[k]);
    }
  }

  /** {@link #depthwiseVectors} for nine taps and a clamp (kind 1): the nine masked weight vectors stay in registers. */
  private static void depthwise9Clamp(int[] x, int[] xo, int k0, int cnt, int[] off, int[] wm, int wmo, int bias,
      int[] tail, int[] y, int[] yo) {
    IntVector w0 = IntVector.fromArray(S, wm, wmo);
    IntVector w1 = IntVector.fromArray(S, wm, wmo + L);
    IntVector w2 = IntVector.fromArray(S, wm, wmo + 2 * L);
    IntVector w3 = IntVector.fromArray(S, wm, wmo + 3 * L);
    IntVector w4 = IntVector.fromArray(S, wm, wmo + 4 * L);
    IntVector w5 = IntVector.fromArray(S, wm, wmo + 5 * L);
    IntVector w6 = IntVector.fromArray(S, wm, wmo + 6 * L);
    IntVector w7 = IntVector.fromArray(S, wm, wmo + 7 * L);
    IntVector w8 = IntVector.fromArray(S, wm, wmo + 8 * L);
    IntVector bv = IntVector.broadcast(S, bias);
    int lo = tail[1];
    int hi = tail[2];
    int o0 = off[0];
    int o1 = off[1];
    int o2 = off[2];
    int o3 = off[3];
    int o4 = off[4];
    int o5 = off[5];
    int o6 = off[6];
    int o7 = off[7];
    int o8 = off[8];
    for (int k = k0; k < k0 + cnt; k++) {
      int b = xo[k];
      IntVector a0 = IntVector.fromArray(S, x, b + o0).mul(w0).add(IntVector.fromArray(S, x, b + o1).mul(w1));
      IntVector a1 = IntVector.fromArray(S, x, b + o2).mul(w2).add(IntVector.fromArray(S, x, b + o3).mul(w3));
      IntVector a2 = IntVector.fromArray(S, x, b + o4).mul(w4).add(IntVector.fromArray(S, x, b + o5).mul(w5));
      IntVector a3 = IntVector.fromArray(S, x, b + o6).mul(w6).add(IntVector.fromArray(S, x, b + o7).mul(w7));
      IntVector.fromArray(S, x, b + o8).mul(w8).add(bv).add(a0.add(a1)).add(a2.add(a3)).max(lo).min(hi)
          .intoArray(y, yo[k]);
    }
  }

  /** {@link #depthwiseVectors} for nine taps and a saturating shift (kind 2): the nine masked weight vectors stay in registers. */
  private static void depthwise9Shift(int[] x, int[] xo, int k0, int cnt, int[] off, int[] wm, int wmo, int bias,
      int[] tail, int[] y, int[] yo) {
    IntVector w0 = IntVector.fromArray(S, wm, wmo);
    IntVector w1 = IntVector.fromArray(S, wm, wmo + L);
    IntVector w2 = IntVector.fromArray(S, wm, wmo + 2 * L);
    IntVector w3 = IntVector.fromArray(S, wm, wmo + 3 * L);
    IntVector w4 = IntVector.fromArray(S, wm, wmo + 4 * L);
    IntVector w5 = IntVector.fromArray(S, wm, wmo + 5 * L);
    IntVector w6 = IntVector.fromArray(S, wm, wmo + 6 * L);
    IntVector w7 = IntVector.fromArray(S, wm, wmo + 7 * L);
    IntVector w8 = IntVector.fromArray(S, wm, wmo + 8 * L);
    IntVector bv = IntVector.broadcast(S, bias);
    int lo = tail[1];
    int hi = tail[2];
    IntVector count = IntVector.broadcast(S, tail[3]);
    IntVector one = IntVector.broadcast(S, 1);
    int o0 = off[0];
    int o1 = off[1];
    int o2 = off[2];
    int o3 = off[3];
    int o4 = off[4];
    int o5 = off[5];
    int o6 = off[6];
    int o7 = off[7];
    int o8 = off[8];
    for (int k = k0; k < k0 + cnt; k++) {
      int b = xo[k];
      IntVector a0 = IntVector.fromArray(S, x, b + o0).mul(w0).add(IntVector.fromArray(S, x, b + o1).mul(w1));
      IntVector a1 = IntVector.fromArray(S, x, b + o2).mul(w2).add(IntVector.fromArray(S, x, b + o3).mul(w3));
      IntVector a2 = IntVector.fromArray(S, x, b + o4).mul(w4).add(IntVector.fromArray(S, x, b + o5).mul(w5));
      IntVector a3 = IntVector.fromArray(S, x, b + o6).mul(w6).add(IntVector.fromArray(S, x, b + o7).mul(w7));
      IntVector.fromArray(S, x, b + o8).mul(w8).add(bv).add(a0.add(a1)).add(a2.add(a3)).max(lo).min(hi).lanewise(VectorOperators.ASHR, count).add(one)
          .lanewise(VectorOperators.ASHR, one)
          .intoArray(y, yo[k]);
    }
  }

  /** {@link #depthwiseVectors} for nine taps and a clamp, a multiplication and a saturating shift (kind 3). */
  private static void depthwise9Scaled(int[] x, int[] xo, int k0, int cnt, int[] off, int[] wm, int wmo, int bias,
      int[] tail, int[] y, int[] yo) {
    IntVector w0 = IntVector.fromArray(S, wm, wmo);
    IntVector w1 = IntVector.fromArray(S, wm, wmo + L);
    IntVector w2 = IntVector.fromArray(S, wm, wmo + 2 * L);
    IntVector w3 = IntVector.fromArray(S, wm, wmo + 3 * L);
    IntVector w4 = IntVector.fromArray(S, wm, wmo + 4 * L);
    IntVector w5 = IntVector.fromArray(S, wm, wmo + 5 * L);
    IntVector w6 = IntVector.fromArray(S, wm, wmo + 6 * L);
    IntVector w7 = IntVector.fromArray(S, wm, wmo + 7 * L);
    IntVector w8 = IntVector.fromArray(S, wm, wmo + 8 * L);
    IntVector bv = IntVector.broadcast(S, bias);
    int lo = tail[1];
    int hi = tail[2];
    IntVector m = IntVector.broadcast(S, tail[4]);
    int lo2 = tail[5];
    int hi2 = tail[6];
    IntVector count = IntVector.broadcast(S, tail[7]);
    IntVector one = IntVector.broadcast(S, 1);
    int o0 = off[0];
    int o1 = off[1];
    int o2 = off[2];
    int o3 = off[3];
    int o4 = off[4];
    int o5 = off[5];
    int o6 = off[6];
    int o7 = off[7];
    int o8 = off[8];
    for (int k = k0; k < k0 + cnt; k++) {
      int b = xo[k];
      IntVector a0 = IntVector.fromArray(S, x, b + o0).mul(w0).add(IntVector.fromArray(S, x, b + o1).mul(w1));
      IntVector a1 = IntVector.fromArray(S, x, b + o2).mul(w2).add(IntVector.fromArray(S, x, b + o3).mul(w3));
      IntVector a2 = IntVector.fromArray(S, x, b + o4).mul(w4).add(IntVector.fromArray(S, x, b + o5).mul(w5));
      IntVector a3 = IntVector.fromArray(S, x, b + o6).mul(w6).add(IntVector.fromArray(S, x, b + o7).mul(w7));
      IntVector.fromArray(S, x, b + o8).mul(w8).add(bv).add(a0.add(a1)).add(a2.add(a3)).max(lo).min(hi).mul(m)
          .max(lo2).min(hi2).lanewise(VectorOperators.ASHR, count).add(one).lanewise(VectorOperators.ASHR, one)
          .intoArray(y, yo[k]);
    }
  }

  /** Long lanes of a whole vector. */
  private static final VectorSpecies<Long> LONGS = LongVector.SPECIES_PREFERRED;

  /**
   * ev[evo + k] = x[xo + 2k] and od[odo + k] = x[xo + 2k + 1] for 2k (2k + 1) &lt; w, one vector
   * of x at a time seen as L / 2 longs (lane 2k is the low half of long k, the API's little-endian
   * order): the evens are the longs narrowed to int, the odds the longs shifted right by 32 and
   * narrowed, each into the low half of an int vector of the usual species (zeros above), stored
   * whole. Reads x up to the next multiple of L values past xo and stores up to L - 1 values past
   * each run. (Two lane shuffles and a blend per half took 1.7x as long. A half-width int species
   * must not be used: a second IntVector class makes C2 compile the other kernels' vector calls as
   * virtual calls, every vector boxed.)
   */
  static void deinterleaveRow(int[] x, int xo, int w, int[] pl, int evo, int odo) {
    // the shift count as a vector, for the reason pass gives
    LongVector count = LongVector.broadcast(LONGS, 32);
    for (int j = 0; j < w; j += L) {
      LongVector a = IntVector.fromArray(S, x, xo + j).reinterpretAsLongs();
      ((IntVector) a.convert(VectorOperators.L2I, 0)).intoArray(pl, evo + j / 2);
      ((IntVector) a.lanewise(VectorOperators.LSHR, count).convert(VectorOperators.L2I, 0)).intoArray(pl, odo + j / 2);
    }
  }

  /** Lane k: 2k mod L (the even lanes of a vector, twice). */
  private static final VectorShuffle<Integer> EVEN = VectorShuffle.fromOp(S, k -> 2 * k % L);
  /** Lane k: (2k + 1) mod L (the odd lanes of a vector, twice). */
  private static final VectorShuffle<Integer> ODD = VectorShuffle.fromOp(S, k -> (2 * k + 1) % L);
  /** Lanes L/2 and above. */
  private static final VectorMask<Integer> HIGH = VectorMask.fromLong(S, -1L << (L / 2));

  /**
   * ev[k] = x[xo + 2k] and od[k] = x[xo + 2k + 1] for 2k (2k + 1) &lt; n: whole pairs of vectors
   * split by lane shuffles, the rest value by value.
   */
  static void deinterleave(int[] x, int xo, int n, int[] ev, int[] od) {
    int j = 0;
    for (; j + 2 * L <= n; j += 2 * L) {
      IntVector a = IntVector.fromArray(S, x, xo + j);
      IntVector b = IntVector.fromArray(S, x, xo + j + L);
      a.rearrange(EVEN).blend(b.rearrange(EVEN), HIGH).intoArray(ev, j / 2);
      a.rearrange(ODD).blend(b.rearrange(ODD), HIGH).intoArray(od, j / 2);
    }
    for (; j < n; j++) {
      if ((j & 1) == 0) {
        ev[j / 2] = x[xo + j];
      } else {
        od[j / 2] = x[xo + j];
      }
    }
  }

  /** The lanes of {@link #fitsInt8}'s minimum and maximum, per thread. */
  private static final ThreadLocal<int[]> FITS_LANES = ThreadLocal.withInitial(() -> new int[2 * L]);

  /**
   * Whether x[from, from + n) all lie in [-128, 127]: lane-wise min and max, then the lanes and the
   * tail (allocates nothing once the calling thread has called it).
   */
  static boolean fitsInt8(int[] x, int from, int n) {
    int nv = n - n % L;
    if (nv == 0) {
      return PackedKernels.fitsInt8(x, from, n);
    }
    // a per-thread array: a new one per call would be allocated (C2 does not scalar-replace an
    // array that vectors are stored into), and planes call this once per image and channel
    int[] lanes = FITS_LANES.get();
    IntVector lo = IntVector.zero(S);
    IntVector hi = lo;
    for (int i = 0; i < nv; i += L) {
      IntVector v = IntVector.fromArray(S, x, from + i);
      lo = lo.min(v);
      hi = hi.max(v);
      if (i == nv - L) {
        // stored in the last step for the reason block4x2 gives
        lo.intoArray(lanes, 0);
        hi.intoArray(lanes, L);
      }
    }
    int min = 0;
    int max = 0;
    for (int j = 0; j < L; j++) {
      min = Math.min(min, lanes[j]);
      max = Math.max(max, lanes[L + j]);
    }
    for (int i = nv; i < n; i++) {
      min = Math.min(min, x[from + i]);
      max = Math.max(max, x[from + i]);
    }
    return min >= Byte.MIN_VALUE && max <= Byte.MAX_VALUE;
  }

  /** acc[i] += w * x[xo + i * stride] for i &lt; n (stride 1 vectorised; others scalar). */
  static void axpy(int[] acc, int n, int w, int[] x, int xo) {
    int i = 0;
    for (; i + L <= n; i += L) {
      IntVector.fromArray(S, acc, i).add(IntVector.fromArray(S, x, xo + i).mul(w)).intoArray(acc, i);
    }
    for (; i < n; i++) {
      acc[i] += w * x[xo + i];
    }
  }
}
