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
 * loop). Only {@link ChunkStats} touches this class, after checking that the module is present.
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

  private VectorStats() {}

  static int absMaxBits(ObservedValues.Floats values, int[] chunk) {
    IntVector acc = IntVector.zero(WIDE);
    int step = WIDE.length();
    int max = 0;
    for (int from = 0, size = values.size(); from < size; from += ObservedValues.CHUNK) {
      int n = Math.min(ObservedValues.CHUNK, size - from);
      values.readBits(from, chunk, n);
      int i = 0;
      for (; i <= n - step; i += step) {
        acc = acc.max(IntVector.fromArray(WIDE, chunk, i).lanewise(VectorOperators.AND, 0x7fffffff));
      }
      max = ChunkStats.absMaxBits(chunk, i, n, max);
    }
    return Math.max(max, acc.reduceLanes(VectorOperators.MAX));
  }

  /**
   * The bins of finite values: {@code t = |x| / width} as the plain loop divides, then
   * {@code (int) t} from t's bits: the significand with its implicit bit, shifted right by
   * {@code 1075 - exponent field} (a shift of 63 or more gives 0: {@code t < 1}; a shift below 0,
   * {@code t >= 2^52}, is taken as 0 and leaves at least 2^52), then at most {@code top}.
   */
  static void count(ObservedValues.Floats values, float[] chunk, long[] bin, double width, int top, long[] counts) {
    for (int from = 0, size = values.size(); from < size; from += ObservedValues.CHUNK) {
      int n = Math.min(ObservedValues.CHUNK, size - from);
      values.readFloats(from, chunk, n);
      bins(chunk, n, width, top, bin);
      ChunkStats.increment(bin, n, top + 1, counts);
    }
  }

  /** {@link ChunkStats#bins} of finite values {@code [0, n)}. */
  static void bins(float[] chunk, int n, double width, int top, long[] bin) {
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
      LongVector shift = bias.sub(b.lanewise(VectorOperators.LSHR, 52)).min(maxShift).max(noShift);
      LongVector m = b.and(0x000f_ffff_ffff_ffffL).or(0x0010_0000_0000_0000L);
      m.lanewise(VectorOperators.LSHR, shift).min(topBin).intoArray(bin, i);
    }
    ChunkStats.bins(chunk, i, n, width, top, bin);
  }

  static void fixedPointSums(ObservedValues.Floats values, float[] chunk, double scale, double scaleSquares,
      long[] wide) {
    DoubleVector sc = DoubleVector.broadcast(D, scale);
    DoubleVector sq = DoubleVector.broadcast(D, scaleSquares);
    DoubleVector magic = DoubleVector.broadcast(D, ChunkStats.MAGIC);
    long[] sums = new long[2];
    for (int from = 0, size = values.size(); from < size; from += ObservedValues.CHUNK) {
      int n = Math.min(ObservedValues.CHUNK, size - from);
      values.readFloats(from, chunk, n);
      // the bits of v + MAGIC, added modulo 2^64; MAGIC_BITS per value is taken off at the end
      LongVector s = LongVector.zero(LONGS);
      LongVector q = LongVector.zero(LONGS);
      int i = 0;
      for (; i <= n - L; i += L) {
        DoubleVector x = (DoubleVector) FloatVector.fromArray(F, chunk, i).convertShape(VectorOperators.F2D, D, 0);
        s = s.add(x.mul(sc).add(magic).viewAsIntegralLanes());
        q = q.add(x.mul(x).mul(sq).add(magic).viewAsIntegralLanes());
      }
      long off = (long) i * ChunkStats.MAGIC_BITS;
      sums[0] = s.reduceLanes(VectorOperators.ADD) - off;
      sums[1] = q.reduceLanes(VectorOperators.ADD) - off;
      ChunkStats.fixedPointSums(chunk, i, n, scale, scaleSquares, sums);
      ChunkStats.add128(wide, 0, sums[0]);
      ChunkStats.add128(wide, 2, sums[1]);
    }
  }
}
