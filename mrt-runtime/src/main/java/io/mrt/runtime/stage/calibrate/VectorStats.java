package io.mrt.runtime.stage.calibrate;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link ChunkStats}'s kernels with the Vector API: the same operations per lane as the plain
 * loops, so the same results (the remainder of a chunk that does not fill a vector runs the plain
 * loop). Each works on one chunk, its vectors all local: the JIT keeps them in registers only
 * when no call comes between their uses (the loops over chunks, which call into the buffers,
 * stay in {@link ChunkStats}; with them inside, calibration ran slower by half). Only
 * {@link ChunkStats} touches this class, after checking that the module is present.
 */
final class VectorStats {
  /** Double lanes: the preferred width (8 with AVX-512, 4 with AVX2). */
  private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
  private static final int L = D.length();
  /** Float lanes as many as {@link #D}'s, half as wide: one float vector widens to one double vector. */
  private static final VectorSpecies<Float> F = VectorSpecies.of(float.class, VectorShape.forBitSize(L * 32));
  private static final VectorSpecies<Long> LONGS = VectorSpecies.of(long.class, D.vectorShape());
  /** Int lanes of the preferred width, for the maximum over bits. */
  private static final VectorSpecies<Integer> WIDE = IntVector.SPECIES_PREFERRED;
  /** Float lanes of the same shape as {@link #WIDE}'s. */
  private static final VectorSpecies<Float> WIDE_FLOATS = VectorSpecies.of(float.class, WIDE.vectorShape());

  private VectorStats() {}

  /*
   * Every operand of a lanewise operation here is a vector, broadcast before the loop: an
   * IntVector operation given a scalar (lanewise(AND, 0x7fffffff), compare(GE, int)) compiled in
   * this JVM made C2 compile the CVM executor's IntVector kernels with boxed vectors afterwards (a
   * warm ResNet-20 run allocating 20 to 86 MB instead of 1 KB; CompiledExamplesAllocationTest),
   * and so does an IntVector of a second shape.
   */

  /** {@link ChunkStats#absMaxBits(int[], int, int, int)} of {@code bits[0, n)}. */
  static int absMaxBits(int[] bits, int n, int max) {
    IntVector absMask = IntVector.broadcast(WIDE, 0x7fffffff);
    IntVector acc = IntVector.zero(WIDE);
    int step = WIDE.length();
    int i = 0;
    for (; i <= n - step; i += step) {
      acc = acc.max(IntVector.fromArray(WIDE, bits, i).and(absMask));
    }
    return ChunkStats.absMaxBits(bits, i, n, Math.max(max, acc.reduceLanes(VectorOperators.MAX)));
  }

  /**
   * {@link ChunkStats#bins} of finite values {@code [0, n)}: {@code t = |x| / width} as the plain
   * loop divides, then {@code (int) t} from t's bits: the significand with its implicit bit,
   * shifted right by {@code 1075 - exponent field} (a shift of 63 or more gives 0: {@code t < 1};
   * a shift below 0, {@code t >= 2^52}, is taken as 0 and leaves at least 2^52), then at most
   * {@code top}.
   */
  static void bins(float[] chunk, int n, double width, int top, long[] bin) {
    LongVector exponentShift = LongVector.broadcast(LONGS, 52);
    LongVector significand = LongVector.broadcast(LONGS, 0x000f_ffff_ffff_ffffL);
    LongVector implicitBit = LongVector.broadcast(LONGS, 0x0010_0000_0000_0000L);
    DoubleVector w = DoubleVector.broadcast(D, width);
    LongVector bias = LongVector.broadcast(LONGS, 1075);
    LongVector maxShift = LongVector.broadcast(LONGS, 63);
    LongVector noShift = LongVector.zero(LONGS);
    LongVector topBin = LongVector.broadcast(LONGS, top);
    int i = 0;
    for (; i <= n - L; i += L) {
      DoubleVector t = ((DoubleVector) FloatVector.fromArray(F, chunk, i).abs()
          .convertShape(VectorOperators.F2D, D, 0)).div(w);
      LongVector b = t.viewAsIntegralLanes();
      LongVector shift = bias.sub(b.lanewise(VectorOperators.LSHR, exponentShift)).min(maxShift).max(noShift);
      LongVector m = b.and(significand).or(implicitBit);
      m.lanewise(VectorOperators.LSHR, shift).min(topBin).intoArray(bin, i);
    }
    ChunkStats.bins(chunk, i, n, width, top, bin);
  }

  /**
   * {@link ChunkStats#binsOfBits} of {@code bits[0, n)} into {@code bin[0, n)}, with the largest
   * of {@code maxBits} and the values' bits without sign returned, for a width that is a normal
   * float (see {@link ChunkStats#floatWidth}), in float lanes: NaN becomes 0 (bin 0, as the cast
   * gives it); the quotient {@code |x| / width} is taken as {@code |x| * (1 / width)} in float (two
   * roundings: within a quarter of the exact quotient below 2^21) and rounded to its nearest
   * integer k by adding and taking off 2^23, so that k is the exact quotient's floor or one more;
   * k is one less where {@code fma(-k, width, |x|)} is negative (its sign bit is set: the exact
   * difference rounds to zero only when it is zero, and then to +0); then k is clamped to
   * {@code [0, top]}. A quotient of 2^21 or more (infinity included) lands above any top. (JDK 17
   * boxes a float-to-int vector conversion: this kernel has none.)
   */
  static int binsOfBits(int[] bits, int n, float width, int top, int[] bin, int maxBits) {
    IntVector absMask = IntVector.broadcast(WIDE, 0x7fffffff);
    IntVector infinityBits = IntVector.broadcast(WIDE, ChunkStats.INFINITY_BITS);
    IntVector signShift = IntVector.broadcast(WIDE, 31);
    IntVector zero = IntVector.zero(WIDE);
    IntVector topBin = IntVector.broadcast(WIDE, top);
    FloatVector inverse = FloatVector.broadcast(WIDE_FLOATS, 1 / width);
    FloatVector minusW = FloatVector.broadcast(WIDE_FLOATS, -width);
    FloatVector magic = FloatVector.broadcast(WIDE_FLOATS, 0x1p23f);
    IntVector magicBits = IntVector.broadcast(WIDE, Float.floatToRawIntBits(0x1p23f));
    IntVector acc = IntVector.zero(WIDE);
    int step = WIDE.length();
    int i = 0;
    for (; i <= n - step; i += step) {
      IntVector b = IntVector.fromArray(WIDE, bits, i).and(absMask);
      acc = acc.max(b);
      FloatVector a = b.blend(zero, b.compare(VectorOperators.GT, infinityBits)).reinterpretAsFloats();
      FloatVector shifted = a.mul(inverse).add(magic);
      IntVector k = shifted.reinterpretAsInts().sub(magicBits);
      FloatVector kf = shifted.sub(magic);
      // |x| - k * width, exact before its one rounding: negative when the quotient rounded up to k
      IntVector over = kf.fma(minusW, a).reinterpretAsInts().lanewise(VectorOperators.LSHR, signShift);
      k.sub(over).max(zero).min(topBin).intoArray(bin, i);
    }
    return ChunkStats.binsOfBits(bits, i, n, width, top, bin, Math.max(maxBits, acc.reduceLanes(VectorOperators.MAX)));
  }

  /**
   * {@link ChunkStats#scanTail}'s work on one chunk of bits {@code [0, n)}: {@code state[0]}
   * becomes the largest of itself and the values' bits without sign, {@code state[1]} the chunk's
   * tail count ({@code marked} is scratch of at least n / 16 ints). Groups of four vectors are reduced to their maximum
   * bits, one comparison per group with the edge's bits (for non-negative floats the order of the
   * bits is the order of the values; NaN's bits lie above every edge, and the check of each value
   * passes over it); in a group that reaches the edge, the vectors that do are noted and their
   * values checked one by one after the vector loop, which calls nothing (so its vectors stay in registers).
   */
  static void scanTail(int[] bits, int n, float edge, double width, int last, long[] counts, int[] marked, int[] state) {
    int step = WIDE.length();
    int group = 4 * step;
    IntVector edgeVector = IntVector.broadcast(WIDE, Float.floatToRawIntBits(edge));
    IntVector absMask = IntVector.broadcast(WIDE, 0x7fffffff);
    IntVector acc = IntVector.zero(WIDE);
    int m = 0;
    int i = 0;
    for (; i <= n - group; i += group) {
      IntVector a0 = IntVector.fromArray(WIDE, bits, i).and(absMask);
      IntVector a1 = IntVector.fromArray(WIDE, bits, i + step).and(absMask);
      IntVector a2 = IntVector.fromArray(WIDE, bits, i + 2 * step).and(absMask);
      IntVector a3 = IntVector.fromArray(WIDE, bits, i + 3 * step).and(absMask);
      IntVector g = a0.max(a1).max(a2.max(a3));
      acc = acc.max(g);
      if (g.compare(VectorOperators.GE, edgeVector).anyTrue()) {
        if (a0.compare(VectorOperators.GE, edgeVector).anyTrue()) {
          marked[m++] = i;
        }
        if (a1.compare(VectorOperators.GE, edgeVector).anyTrue()) {
          marked[m++] = i + step;
        }
        if (a2.compare(VectorOperators.GE, edgeVector).anyTrue()) {
          marked[m++] = i + 2 * step;
        }
        if (a3.compare(VectorOperators.GE, edgeVector).anyTrue()) {
          marked[m++] = i + 3 * step;
        }
      }
    }
    state[0] = ChunkStats.absMaxBits(bits, i, n, Math.max(state[0], acc.reduceLanes(VectorOperators.MAX)));
    long kept = ChunkStats.tailOfBits(bits, i, n, edge, width, last, counts);
    for (int k = 0; k < m; k++) {
      kept += ChunkStats.tailOfBits(bits, marked[k], marked[k] + step, edge, width, last, counts);
    }
    state[1] = (int) kept;
  }

  /** {@link ChunkStats#fixedPointSums} of one chunk, {@code values[0, n)}, into {@code sums} (set, not added). */
  static void fixedPointSums(float[] values, int n, double scale, double scaleSquares, long[] sums) {
    DoubleVector sc = DoubleVector.broadcast(D, scale);
    DoubleVector sq = DoubleVector.broadcast(D, scaleSquares);
    DoubleVector magic = DoubleVector.broadcast(D, ChunkStats.MAGIC);
    // the bits of v + MAGIC, added modulo 2^64; MAGIC_BITS per value is taken off at the end
    LongVector s = LongVector.zero(LONGS);
    LongVector q = LongVector.zero(LONGS);
    int i = 0;
    for (; i <= n - L; i += L) {
      DoubleVector x = (DoubleVector) FloatVector.fromArray(F, values, i).convertShape(VectorOperators.F2D, D, 0);
      // x * sc and x * (x * sq) are exact (powers of two, a float's square), so one rounding
      // happens in each fused multiply-add, the one of the plain loop's addition of MAGIC
      s = s.add(x.fma(sc, magic).viewAsIntegralLanes());
      q = q.add(x.fma(x.mul(sq), magic).viewAsIntegralLanes());
    }
    long off = (long) i * ChunkStats.MAGIC_BITS;
    sums[0] = s.reduceLanes(VectorOperators.ADD) - off;
    sums[1] = q.reduceLanes(VectorOperators.ADD) - off;
    ChunkStats.fixedPointSums(values, i, n, scale, scaleSquares, sums);
  }
}
