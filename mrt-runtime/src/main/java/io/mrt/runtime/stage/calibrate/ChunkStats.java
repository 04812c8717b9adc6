package io.mrt.runtime.stage.calibrate;

import io.mrt.runtime.VectorApi;

/**
 * The per-value work of the statistics over the float32 values of an observed array, read a chunk
 * at a time by {@link ObservedValues.Floats}: the abs-max, histogram counts and fixed-point sums.
 * Each kernel is written twice, with the Vector API ({@link VectorStats}, when
 * {@code jdk.incubator.vector} is in the boot layer) and as plain loops here, and both give the
 * same result for every input: the vector code performs the same IEEE operations lane by lane (a
 * float widened to double, a division, a multiplication by a power of two, an addition), and
 * integer maxima, counts and sums do not depend on the order in which values combine.
 */
final class ChunkStats {
  /**
   * 1.5 * 2^52: for a double {@code |v| <= 2^51}, {@code v + MAGIC} rounds v to the nearest integer
   * (ties to even: the one rounding mode of Java arithmetic) and that integer is the sum's bits
   * minus {@link #MAGIC_BITS}.
   */
  static final double MAGIC = 6755399441055744.0;
  /** {@code Double.doubleToRawLongBits(MAGIC)}. */
  static final long MAGIC_BITS = 0x4338_0000_0000_0000L;

  /** The bits of the float32 infinity: abs-max bits above it mean that a value is NaN. */
  static final int INFINITY_BITS = 0x7f80_0000;

  private ChunkStats() {}

  /**
   * The largest of the values' bits with the sign cleared: the bits of the largest |x| when no
   * value is NaN (the order of non-negative floats is the order of their bits), above
   * {@link #INFINITY_BITS} when one is; 0 when empty.
   */
  static int absMaxBits(ObservedValues.Floats values) {
    int[] chunk = Scratch.get().bits;
    int max = 0;
    for (int from = 0, size = values.size(); from < size; from += ObservedValues.CHUNK) {
      int n = Math.min(ObservedValues.CHUNK, size - from);
      values.readBits(from, chunk, n);
      max = VectorApi.AVAILABLE ? VectorStats.absMaxBits(chunk, n, max) : absMaxBits(chunk, 0, n, max);
    }
    return max;
  }

  /** The largest of {@code max} and {@code bits[from, n) & 0x7fffffff}. */
  static int absMaxBits(int[] bits, int from, int n, int max) {
    int m = max;
    for (int i = from; i < n; i++) {
      m = Math.max(m, bits[i] & 0x7fffffff);
    }
    return m;
  }

  /**
   * Counts every value into {@code counts[w * (top + 1) + min(top, (int) ((double) |x| / width))]},
   * value i of a chunk into set {@code w = i % WAYS}, so that runs of one bin do not wait on each
   * other's increments; the caller folds the sets and bin {@code top} (values at or beyond the
   * upper edge) into its histogram. int counts suffice: an array has fewer than 2^31 values, and
   * they take half the cache of long counts. The cast truncates the non-negative quotient, saturates an
   * infinite one and maps NaN to 0. A width that is a normal float takes {@link #countBits}; otherwise
   * the vector kernel, which computes the truncation from the quotient's bits, is taken when
   * {@code finite} says that no value is NaN or infinite.
   */
  static void count(ObservedValues.Floats values, double width, int top, boolean finite, int[] counts) {
    if (floatWidth(width)) {
      countBits(values, (float) width, top, counts);
      return;
    }
    Scratch scratch = Scratch.get();
    float[] chunk = scratch.floats;
    long[] wide = scratch.wideBins;
    int[] bin = scratch.bins;
    boolean vector = VectorApi.AVAILABLE && finite;
    for (int from = 0, size = values.size(); from < size; from += ObservedValues.CHUNK) {
      int n = Math.min(ObservedValues.CHUNK, size - from);
      values.readFloats(from, chunk, n);
      if (vector) {
        VectorStats.bins(chunk, n, width, top, wide);
      } else {
        bins(chunk, 0, n, width, top, wide);
      }
      for (int i = 0; i < n; i++) {
        bin[i] = (int) wide[i];
      }
      increment(bin, n, top + 1, counts);
    }
  }

  /**
   * Whether {@code width} is a normal float of at most 2^100 (its inverse a normal float too), as
   * a histogram's width is when its bins are a power of two (an abs-max over the bins, doubled when
   * the histogram grows): {@link #countBits} then
   * gives {@link #count}'s bins. For floats {@code a >= 0} and {@code w > 0} and an integer
   * {@code k >= 1} with {@code a / w} not k, {@code |a / w - k| = |a - k w| / w >= 2^-25} (a and
   * k w are multiples of the smaller of their units in the last place, which is at least
   * {@code w 2^-25} when a lies within w / 2 of k w),
   * while dividing in double errs by at most {@code 2^(e - 53)} for a quotient below 2^e: so for
   * quotients below 2^27 the double quotient truncates to the exact quotient's floor, which the
   * float kernel computes exactly.
   */
  static boolean floatWidth(double width) {
    return width >= Float.MIN_NORMAL && width <= 0x1p100 && (double) (float) width == width;
  }

  /**
   * {@link #count} for a width that is a normal float ({@link #floatWidth}) and bins
   * {@code top < 2^24}, in one pass that also returns the values' abs-max bits (as
   * {@link #absMaxBits(ObservedValues.Floats)}): every finite value gets {@link #count}'s bin; a NaN or
   * infinite value gets some bin (the caller sees it in the returned bits and counts again).
   */
  static int countBits(ObservedValues.Floats values, float width, int top, int[] counts) {
    Scratch scratch = Scratch.get();
    int[] chunk = scratch.bits;
    int[] bin = scratch.bins;
    int max = 0;
    for (int from = 0, size = values.size(); from < size; from += ObservedValues.CHUNK) {
      int n = Math.min(ObservedValues.CHUNK, size - from);
      values.readBits(from, chunk, n);
      max = VectorApi.AVAILABLE
          ? VectorStats.binsOfBits(chunk, n, width, top, bin, max)
          : binsOfBits(chunk, 0, n, width, top, bin, max);
      increment(bin, n, top + 1, counts);
    }
    return max;
  }

  /**
   * {@code bin[i] = min(top, (int) ((double) |x| / width))} of the floats x whose bits are
   * {@code bits[from, n)}; returns the largest of {@code maxBits} and their bits without sign.
   */
  static int binsOfBits(int[] bits, int from, int n, double width, int top, int[] bin, int maxBits) {
    int m = maxBits;
    for (int i = from; i < n; i++) {
      int b = bits[i] & 0x7fffffff;
      m = Math.max(m, b);
      bin[i] = Math.min(top, (int) ((double) Float.intBitsToFloat(b) / width));
    }
    return m;
  }

  /** {@code bin[i] = min(top, (int) ((double) |values[i]| / width))} for {@code from <= i < n}. */
  static void bins(float[] values, int from, int n, double width, int top, long[] bin) {
    for (int i = from; i < n; i++) {
      bin[i] = Math.min(top, (int) ((double) Math.abs(values[i]) / width));
    }
  }

  /**
   * {@link #absMaxBits(ObservedValues.Floats)} into {@code maxBits[0]} and, in the same pass over
   * the values' bits, the values with {@code |x| >= edge} (NaN has not) counted into
   * {@code counts[min(last, (int) ((double) |x| / width))]}: returns how many these were.
   */
  static long scanTail(ObservedValues.Floats values, float edge, double width, int last, long[] counts, int[] maxBits) {
    Scratch scratch = Scratch.get();
    int[] chunk = scratch.bits;
    int[] marked = scratch.marked;
    // the maximum bits so far and the chunk's tail count
    int[] state = new int[2];
    long kept = 0;
    for (int from = 0, size = values.size(); from < size; from += ObservedValues.CHUNK) {
      int n = Math.min(ObservedValues.CHUNK, size - from);
      values.readBits(from, chunk, n);
      if (VectorApi.AVAILABLE) {
        VectorStats.scanTail(chunk, n, edge, width, last, counts, marked, state);
      } else {
        state[0] = absMaxBits(chunk, 0, n, state[0]);
        state[1] = (int) tailOfBits(chunk, 0, n, edge, width, last, counts);
      }
      kept += state[1];
    }
    maxBits[0] = state[0];
    return kept;
  }

  /** The tail count of {@link #scanTail} over the floats whose bits are {@code bits[from, n)}. */
  static long tailOfBits(int[] bits, int from, int n, float edge, double width, int last, long[] counts) {
    long kept = 0;
    for (int i = from; i < n; i++) {
      float a = Math.abs(Float.intBitsToFloat(bits[i]));
      if (a >= edge) {
        counts[Math.min(last, (int) ((double) a / width))]++;
        kept++;
      }
    }
    return kept;
  }

  /**
   * Sets of counts {@link #count} increments in turn: four sets of 2,049 int counts take 32 KB, half
   * the first-level cache, where eight took all of it. Calibrating with kl, calibrate / forward
   * thread CPU was 2.07 and 2.14 with four sets against 2.12 and 2.13 with eight on ResNet-20,
   * and 1.66 and 1.65 against 1.74 and 1.72 on fashion-mobilenetv2 (runs alternated).
   */
  static final int WAYS = 4;

  /** Counts {@code bin[0, n)}, value i into the set {@code i % WAYS} of {@code stride} counts. */
  static void increment(int[] bin, int n, int stride, int[] counts) {
    int s2 = 2 * stride;
    int s3 = 3 * stride;
    int i = 0;
    for (; i + 3 < n; i += 4) {
      counts[bin[i]]++;
      counts[stride + bin[i + 1]]++;
      counts[s2 + bin[i + 2]]++;
      counts[s3 + bin[i + 3]]++;
    }
    for (; i < n; i++) {
      counts[(i % WAYS) * stride + bin[i]]++;
    }
  }

  /**
   * The fixed-point sums of finite values: {@code wide[0, 2)} gets the sum of
   * {@code round(x * scale)} and {@code wide[2, 4)} that of {@code round(x * x * scaleSquares)},
   * both as 128-bit (high, low) integers, with x the value widened to double (so that its square is
   * exact), each product exact (the scales are powers of two) and rounded to the nearest integer
   * (ties to even) through {@link #MAGIC}. The caller picks scales such that every product is at
   * most 2^50 in magnitude, so a chunk's sums of at most 4,096 terms stay below 2^62 and add into
   * the 128-bit sums once per chunk.
   */
  static void fixedPointSums(ObservedValues.Floats values, double scale, double scaleSquares, long[] wide) {
    float[] chunk = Scratch.get().floats;
    long[] sums = new long[2];
    for (int from = 0, size = values.size(); from < size; from += ObservedValues.CHUNK) {
      int n = Math.min(ObservedValues.CHUNK, size - from);
      values.readFloats(from, chunk, n);
      if (VectorApi.AVAILABLE) {
        VectorStats.fixedPointSums(chunk, n, scale, scaleSquares, sums);
      } else {
        sums[0] = 0;
        sums[1] = 0;
        fixedPointSums(chunk, 0, n, scale, scaleSquares, sums);
      }
      add128(wide, 0, sums[0]);
      add128(wide, 2, sums[1]);
    }
  }

  /** Adds the terms of values {@code [from, n)} of {@link #fixedPointSums} to {@code sums[0]} and {@code sums[1]}. */
  static void fixedPointSums(float[] values, int from, int n, double scale, double scaleSquares, long[] sums) {
    long s = 0;
    long q = 0;
    for (int i = from; i < n; i++) {
      double x = values[i];
      s += Double.doubleToRawLongBits(x * scale + MAGIC) - MAGIC_BITS;
      q += Double.doubleToRawLongBits(x * x * scaleSquares + MAGIC) - MAGIC_BITS;
    }
    sums[0] += s;
    sums[1] += q;
  }

  /** Adds the signed {@code v} to the 128-bit sum {@code (w[at], w[at + 1])}. */
  static void add128(long[] w, int at, long v) {
    long low = w[at + 1] + v;
    w[at] += (v >> 63) + (Long.compareUnsigned(low, w[at + 1]) < 0 ? 1 : 0);
    w[at + 1] = low;
  }
}
