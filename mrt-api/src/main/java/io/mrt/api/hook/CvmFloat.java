package io.mrt.api.hook;

/**
 * A float approximated as {@code frac * 2^exp} with an integer {@code frac >= 0}: MRT's
 * {@code cvm_float}, the form in which an operator requantization multiplies by an integer and
 * shifts. See {@link QuantizeContext#cvmFloat}.
 *
 * @param frac the integer multiplier (0 only for the value 0)
 * @param exp the power of two; negative means a right shift by {@code -exp} bits
 */
public record CvmFloat(long frac, int exp) {
  /** Checks {@code frac >= 0}. */
  public CvmFloat {
    if (frac < 0) {
      throw new IllegalArgumentException("frac must be >= 0, found " + frac);
    }
  }

  /** The approximated value {@code frac * 2^exp}. */
  public double value() {
    return Math.scalb((double) frac, exp);
  }

  /** The relative error {@code |value() - target| / target} against the value approximated. */
  public double relativeError(double target) {
    return target == 0 ? (frac == 0 ? 0 : Double.POSITIVE_INFINITY) : Math.abs(value() - target) / target;
  }
}
