package io.mrt.runtime.stage.calibrate;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;

/**
 * The count, sum and sum of squares of observed values, exact, so that the mean and variance
 * derived from them are the same bits whatever the order the values come in (the layout of an
 * array, how batches split, the number of threads). A float32 value is {@code m * 2^(e - 150)}
 * with an integer significand {@code |m| < 2^24} and {@code e} its exponent field (1 for
 * subnormals), and its square {@code m^2 * 2^(2e - 300)} is exact with {@code m^2 < 2^48}: per
 * exponent field, the significands and their squares are added as integers (within a chunk of at
 * most 4,096 values in a {@code long}, then into 128-bit sums). Values that are not float32 (from
 * float64 arrays) are added exactly as decimals. Infinities and NaN are only counted: a
 * non-finite value makes the moments undefined ({@link #finite}).
 */
final class ExactMoments {
  private static final int FIELDS = 256;
  /** Per exponent field: signed significands and squared significands of the current chunk. */
  private final long[] chunkSum = new long[FIELDS];
  private final long[] chunkSquares = new long[FIELDS];
  private final long[] chunkSumOdd = new long[FIELDS];
  private final long[] chunkSquaresOdd = new long[FIELDS];
  /** Per exponent field, 128 bits as (high, low): the sums of the finished chunks. */
  private final long[] sumHigh = new long[FIELDS];
  private final long[] sumLow = new long[FIELDS];
  private final long[] squaresHigh = new long[FIELDS];
  private final long[] squaresLow = new long[FIELDS];
  private BigDecimal otherSum = BigDecimal.ZERO;
  private BigDecimal otherSquares = BigDecimal.ZERO;
  private long count;
  private boolean nonFinite;

  /** Adds {@code values[0, n)}, {@code n <= 4096} (float32 values by their bits, others exactly). */
  void add(double[] values, int n) {
    if (n > ObservedValues.CHUNK) {
      throw new IllegalArgumentException("at most " + ObservedValues.CHUNK + " values at a time, found " + n);
    }
    long[] s = chunkSum;
    long[] q = chunkSquares;
    for (int i = 0; i < n; i++) {
      double v = values[i];
      float f = (float) v;
      if (f != v) {
        if (Double.isFinite(v)) {
          BigDecimal d = new BigDecimal(v);
          otherSum = otherSum.add(d);
          otherSquares = otherSquares.add(d.multiply(d));
        } else {
          nonFinite = true;
        }
        continue;
      }
      int bits = Float.floatToRawIntBits(f);
      int e = (bits >>> 23) & 0xff;
      if (e == 0xff) {
        nonFinite = true;
        continue;
      }
      // the implicit leading 1 of normal numbers; subnormals (e = 0) have the scale of e = 1
      long m = (bits & 0x7fffff) | (e == 0 ? 0 : 0x800000);
      s[e] += bits < 0 ? -m : m;
      q[e] += m * m;
    }
    count += n;
    flush();
  }

  /**
   * Adds the float32 values whose bits are {@code bits[0, n)}, {@code n <= 4096}: the same sums as
   * {@link #add} of the widened values, without a branch per value (the signs and the implicit
   * bits are masks) and into two sets of sums (even and odd positions) so that runs of values with
   * one exponent do not wait on each other's additions.
   */
  void addBits(int[] bits, int n) {
    if (n > ObservedValues.CHUNK) {
      throw new IllegalArgumentException("at most " + ObservedValues.CHUNK + " values at a time, found " + n);
    }
    long[] s = chunkSum;
    long[] q = chunkSquares;
    long[] s2 = chunkSumOdd;
    long[] q2 = chunkSquaresOdd;
    int i = 0;
    for (; i + 1 < n; i += 2) {
      int b = bits[i];
      int e = (b >>> 23) & 0xff;
      long m = (b & 0x7fffff) | (((-e) >>> 31) << 23);
      long sign = b >> 31;
      s[e] += (m ^ sign) - sign;
      q[e] += m * m;
      int b2 = bits[i + 1];
      int e2 = (b2 >>> 23) & 0xff;
      long m2 = (b2 & 0x7fffff) | (((-e2) >>> 31) << 23);
      long sign2 = b2 >> 31;
      s2[e2] += (m2 ^ sign2) - sign2;
      q2[e2] += m2 * m2;
    }
    for (; i < n; i++) {
      int b = bits[i];
      int e = (b >>> 23) & 0xff;
      long m = (b & 0x7fffff) | (((-e) >>> 31) << 23);
      long sign = b >> 31;
      s[e] += (m ^ sign) - sign;
      q[e] += m * m;
    }
    // an infinity or NaN (exponent field 255) has a significand >= 2^23: its square shows
    if (q[0xff] != 0 || q2[0xff] != 0) {
      nonFinite = true;
      s[0xff] = 0;
      q[0xff] = 0;
      s2[0xff] = 0;
      q2[0xff] = 0;
    }
    for (int e = 0; e < FIELDS; e++) {
      s[e] += s2[e];
      q[e] += q2[e];
      s2[e] = 0;
      q2[e] = 0;
    }
    count += n;
    flush();
  }

  /** Moves the chunk's sums into the 128-bit sums. */
  private void flush() {
    for (int e = 0; e < FIELDS; e++) {
      long v = chunkSum[e];
      if (v != 0) {
        long low = sumLow[e] + v;
        // signed 128-bit addition of a sign-extended 64-bit value
        sumHigh[e] += (v >> 63) + (Long.compareUnsigned(low, sumLow[e]) < 0 ? 1 : 0);
        sumLow[e] = low;
        chunkSum[e] = 0;
      }
      long w = chunkSquares[e];
      if (w != 0) {
        long low = squaresLow[e] + w;
        squaresHigh[e] += Long.compareUnsigned(low, squaresLow[e]) < 0 ? 1 : 0;
        squaresLow[e] = low;
        chunkSquares[e] = 0;
      }
    }
  }

  /** How many values were added. */
  long count() {
    return count;
  }

  /** False when an infinity or NaN was added. */
  boolean finite() {
    return !nonFinite;
  }

  /** The exact sum of the values. */
  BigDecimal sum() {
    BigInteger total = BigInteger.ZERO;
    for (int e = 0; e < FIELDS; e++) {
      BigInteger v = wide(sumHigh[e], sumLow[e]);
      if (v.signum() != 0) {
        // m * 2^(max(e, 1) - 150) = (m << (max(e, 1) - 1)) * 2^-149
        total = total.add(v.shiftLeft(Math.max(e, 1) - 1));
      }
    }
    return new BigDecimal(total).multiply(new BigDecimal(Math.scalb(1.0, -149))).add(otherSum);
  }

  /** The exact sum of the squares of the values. */
  BigDecimal sumOfSquares() {
    BigInteger total = BigInteger.ZERO;
    for (int e = 0; e < FIELDS; e++) {
      BigInteger v = wide(squaresHigh[e], squaresLow[e]);
      if (v.signum() != 0) {
        total = total.add(v.shiftLeft(2 * (Math.max(e, 1) - 1)));
      }
    }
    BigDecimal unit = new BigDecimal(Math.scalb(1.0, -149));
    return new BigDecimal(total).multiply(unit).multiply(unit).add(otherSquares);
  }

  /** The mean, rounded to double once; NaN when nothing or a non-finite value was added. */
  double mean() {
    if (count == 0 || nonFinite) {
      return Double.NaN;
    }
    return sum().divide(BigDecimal.valueOf(count), MathContext.DECIMAL128).doubleValue();
  }

  /**
   * The population variance {@code (n * sum(x^2) - sum(x)^2) / n^2}, exact until rounded to
   * double once; NaN when nothing or a non-finite value was added.
   */
  double variance() {
    if (count == 0 || nonFinite) {
      return Double.NaN;
    }
    BigDecimal n = BigDecimal.valueOf(count);
    BigDecimal s = sum();
    BigDecimal numerator = n.multiply(sumOfSquares()).subtract(s.multiply(s));
    return numerator.divide(n.multiply(n), MathContext.DECIMAL128).doubleValue();
  }

  private static BigInteger wide(long high, long low) {
    return BigInteger.valueOf(high).shiftLeft(64).add(new BigInteger(Long.toUnsignedString(low)));
  }
}
