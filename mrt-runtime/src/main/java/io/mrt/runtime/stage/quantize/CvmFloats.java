package io.mrt.runtime.stage.quantize;

import io.mrt.api.hook.CvmFloat;

/** MRT's {@code sim_quant_helper.cvm_float}, reproduced step for step. */
final class CvmFloats {
  private CvmFloats() {}

  /**
   * Approximates {@code number >= 0} as {@code frac * 2^exp}: normalize into [1, 2), then double
   * (at most {@code bits - 2} times) until the value is an integer, round half to even (Python's
   * {@code round}) and cap {@code frac} at {@code max(2^(bits-1)-1, 1)}. Doubling and halving are
   * exact in binary floating point, so this matches MRT bit for bit.
   */
  static CvmFloat of(double number, int bits) {
    if (!(number >= 0) || Double.isInfinite(number)) {
      throw new IllegalArgumentException("cvm_float needs a finite number >= 0, found " + number);
    }
    long alpha = bits - 1 >= 1 ? Math.max((1L << Math.min(62, bits - 1)) - 1, 1) : 1;
    int b = bits - 1;
    if (number == 0) {
      return new CvmFloat(0, 0);
    }
    int exp = 0;
    while (number >= 1) {
      number /= 2;
      exp++;
    }
    while (number < 1) {
      number *= 2;
      exp--;
    }
    while (b > 1) {
      if (Math.floor(number) == number) {
        break;
      }
      number *= 2;
      exp--;
      b--;
    }
    long frac = (long) Math.rint(number);
    return new CvmFloat(Math.min(frac, alpha), exp);
  }
}
