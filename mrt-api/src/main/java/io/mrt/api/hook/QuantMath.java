package io.mrt.api.hook;

import io.mrt.annotations.cvm.CvmRules;

/**
 * The integer arithmetic of MRT's quantization, shared by the quantize hooks, the runtime and the
 * precision rules. Pure functions; every name follows MRT V3 ({@code tfm_utils.py}) and the CVM
 * runtime ({@code GetReduceSumBit}, {@code GetNumberPrecision}).
 *
 * <p>An integer tensor {@code q} of precision {@code p} holds values with
 * {@code |q| <= range(p) = 2^(p-1)-1}; with scale {@code s} it stands for the float {@code q / s}.
 */
public final class QuantMath {
  /** The largest precision the CVM accepts (all tensors are int32). */
  public static final int MAX_BIT = 32;

  private QuantMath() {}

  /**
   * {@code R(p) = 2^(p-1) - 1}, the largest magnitude of a precision-{@code p} integer
   * ({@code range(1) = 0}, {@code range(8) = 127}, {@code range(32) = 2147483647}).
   *
   * @throws IllegalArgumentException if {@code p} is outside [1, 63]
   */
  public static long range(int p) {
    if (p < 1 || p > 63) {
      throw new IllegalArgumentException("precision must be in [1, 63], found " + p);
    }
    return (1L << (p - 1)) - 1;
  }

  /**
   * MRT's {@code get_bit(x) = ceil(log2(|x| + 1)) + 1}: the precision (sign included) needed to
   * hold the integer magnitude {@code |x|} ({@code bitsOf(0) = 1}, {@code bitsOf(127) = 8},
   * {@code bitsOf(128) = 9}). Computed exactly from the binary exponent, never with a rounded
   * logarithm.
   *
   * @throws IllegalArgumentException if {@code x} is not finite
   */
  public static int bitsOf(double x) {
    if (!Double.isFinite(x)) {
      throw new IllegalArgumentException("bitsOf needs a finite number, found " + x);
    }
    double v = Math.abs(x) + 1.0;
    int e = Math.getExponent(v); // floor(log2 v), v >= 1
    int ceil = Math.scalb(1.0, e) == v ? e : e + 1;
    return ceil + 1;
  }

  /**
   * MRT's {@code get_bit_cnt(n)} and the CVM's {@code GetReduceSumBit(n)}: the number of binary
   * digits of {@code n} ({@code bitCount(1) = 1}, {@code bitCount(8) = 4}, {@code bitCount(9) = 4}).
   * This is the precision a sum of {@code n} terms adds.
   *
   * @throws IllegalArgumentException if {@code n < 1}
   */
  public static int bitCount(long n) {
    if (n < 1) {
      throw new IllegalArgumentException("bitCount needs a positive count, found " + n);
    }
    return CvmRules.bits(n);
  }

  /**
   * The CVM's {@code GetNumberPrecision(n) = bitCount(n + 1) + 1}, the precision its {@code clip}
   * rule gives a bound {@code n >= 0}. It is one more than needed when {@code n + 1} is a power of
   * two ({@code numberPrecision(126) = 8}, {@code numberPrecision(127) = 9},
   * {@code numberPrecision(2^31 - 1) = 33}, which is why the runtime rejects that clip bound).
   */
  public static int numberPrecision(long n) {
    if (n < 0) {
      throw new IllegalArgumentException("numberPrecision needs n >= 0, found " + n);
    }
    return CvmRules.numberPrecision(n);
  }

  /**
   * MRT's {@code scale(th, p) = R(p) / th}, or 1 when {@code th == 0}: the factor that maps the
   * float range [-th, th] onto the integers of precision {@code p}.
   *
   * @throws IllegalArgumentException if {@code th} is negative or not finite
   */
  public static double scale(double threshold, int precision) {
    if (!(threshold >= 0) || Double.isInfinite(threshold)) {
      throw new IllegalArgumentException("threshold must be finite and >= 0, found " + threshold);
    }
    return threshold == 0 ? 1.0 : range(precision) / threshold;
  }

  /**
   * Rounds half away from zero (MXNet's {@code round}: 2.5 to 3, -2.5 to -3), the
   * rounding of parameter requantization and of the input feed.
   */
  public static double roundHalfAway(double x) {
    double r = Math.floor(Math.abs(x) + 0.5);
    return x < 0 ? -r : r;
  }

  /** {@code clip(roundHalfAway(x), -R(p), R(p))}: MRT's {@code int_realize} of one value. */
  public static double realize(double x, int precision) {
    double r = roundHalfAway(x);
    double max = range(precision);
    return Math.max(-max, Math.min(max, r));
  }
}
