package io.mrt.runtime.stage.calibrate;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;

/**
 * The count, sum and sum of squares of observed values, each batch's values rounded on a
 * fixed-point grid chosen from that batch's abs-max, so that the mean and variance derived from
 * them are the same bits whatever the order the values come in (the layout of an array, how it is
 * read in chunks, the number of threads): they depend only on the values of each batch.
 *
 * <p>For a batch whose largest |x| has the exponent {@code e} ({@code 2^e <= absmax < 2^(e+1)}),
 * each value x (widened to double, so that its square is exact for a float32 value) becomes the
 * integer {@code round(x * 2^(49 - e))} and its square {@code round(x^2 * 2^(48 - 2e))}: both at
 * most 2^50 in magnitude, rounded to the nearest integer (ties to even), so a value keeps about 50
 * bits relative to the batch's abs-max (its square as many relative to abs-max squared). The
 * integers add exactly, in vector lanes over a chunk of at most 4,096 values (below 2^62) and into
 * 128-bit sums per batch ({@link ChunkStats#fixedPointSums}); each batch's sums are scaled back by
 * the powers of two and added exactly as decimals. Infinities and NaN are only counted: a batch
 * with one makes the moments undefined ({@link #finite}).
 */
final class FixedPointMoments {
  private BigDecimal sum = BigDecimal.ZERO;
  private BigDecimal squares = BigDecimal.ZERO;
  private long count;
  private boolean nonFinite;

  /** Adds {@code values} (one batch or any array of it), given their largest |x| (NaN when one is NaN). */
  void add(ObservedValues values, double absMax) {
    int size = values.size();
    count += size;
    if (!Double.isFinite(absMax)) {
      nonFinite = true;
      return;
    }
    if (absMax == 0 || size == 0) {
      return;
    }
    int e = Math.getExponent(absMax);
    int shift = 49 - e;
    int shiftSquares = 48 - 2 * e;
    // 128-bit sums as (high, low): values, then squares
    long[] wide = new long[4];
    if (values instanceof ObservedValues.Floats floats) {
      // a float32 abs-max has e in [-149, 127]: both scales are doubles
      double scale = Math.scalb(1.0, shift);
      double scaleSquares = Math.scalb(1.0, shiftSquares);
      ChunkStats.fixedPointSums(floats, scale, scaleSquares, wide);
    } else {
      double[] chunk = Scratch.get().doubles;
      // squares scaled in two steps, so that neither the scale nor the square leaves the double range
      int half = shiftSquares >> 1;
      int rest = shiftSquares - 2 * half;
      for (int from = 0; from < size; from += ObservedValues.CHUNK) {
        int n = Math.min(ObservedValues.CHUNK, size - from);
        values.read(from, chunk, n);
        long s = 0;
        long q = 0;
        for (int i = 0; i < n; i++) {
          double x = chunk[i];
          s += (long) Math.rint(Math.scalb(x, shift));
          double y = Math.scalb(x, half);
          q += (long) Math.rint(Math.scalb(y * y, rest));
        }
        ChunkStats.add128(wide, 0, s);
        ChunkStats.add128(wide, 2, q);
      }
    }
    sum = sum.add(new BigDecimal(toBig(wide[0], wide[1])).multiply(powerOfTwo(-shift)));
    squares = squares.add(new BigDecimal(toBig(wide[2], wide[3])).multiply(powerOfTwo(-shiftSquares)));
  }

  private static BigInteger toBig(long high, long low) {
    return BigInteger.valueOf(high).shiftLeft(64).add(new BigInteger(Long.toUnsignedString(low)));
  }

  /** 2^k exactly (for k < 0, 5^-k * 10^k). */
  static BigDecimal powerOfTwo(int k) {
    return k >= 0 ? new BigDecimal(BigInteger.ONE.shiftLeft(k)) : new BigDecimal(BigInteger.valueOf(5).pow(-k), -k);
  }

  /** How many values were added. */
  long count() {
    return count;
  }

  /** False when an infinity or NaN was added. */
  boolean finite() {
    return !nonFinite;
  }

  /** The exact sum of the values on their batches' grids. */
  BigDecimal sum() {
    return sum;
  }

  /** The exact sum of the squares on their batches' grids. */
  BigDecimal sumOfSquares() {
    return squares;
  }

  /** The mean, rounded to double once; NaN when nothing or a non-finite value was added. */
  double mean() {
    if (count == 0 || nonFinite) {
      return Double.NaN;
    }
    return sum.divide(BigDecimal.valueOf(count), MathContext.DECIMAL128).doubleValue();
  }

  /**
   * The population variance {@code (n * sum(x^2) - sum(x)^2) / n^2}, exact until rounded to
   * double once, and 0 when the grids' rounding makes it negative (values all but equal); NaN when
   * nothing or a non-finite value was added.
   */
  double variance() {
    if (count == 0 || nonFinite) {
      return Double.NaN;
    }
    BigDecimal n = BigDecimal.valueOf(count);
    BigDecimal numerator = n.multiply(squares).subtract(sum.multiply(sum));
    if (numerator.signum() < 0) {
      return 0;
    }
    return numerator.divide(n.multiply(n), MathContext.DECIMAL128).doubleValue();
  }
}
