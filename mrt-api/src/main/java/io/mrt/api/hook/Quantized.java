package io.mrt.api.hook;

import io.mrt.api.graph.Entry;

/**
 * An integer entry with its scale {@code s} (the entry's value {@code q} stands for the float
 * {@code q / s}) and its precision in bits: the result of a {@link QuantizeHook} and of the
 * requantization primitives of {@link QuantizeContext}.
 *
 * @param output the integer entry
 * @param scale the scale, positive and finite
 * @param precision the precision in bits, at least 1; a value above 32 (a bias needing 33 bits,
 *     say) is accepted here and refused by the quantize stage, which names the node
 */
public record Quantized(Entry output, double scale, int precision) {
  /** Checks a precision of at least 1 and a positive finite scale. */
  public Quantized {
    if (precision < 1) {
      throw new IllegalArgumentException("precision of " + output + " must be >= 1, found " + precision);
    }
    if (!(scale > 0) || Double.isInfinite(scale)) {
      throw new IllegalArgumentException("scale of " + output + " must be positive and finite, found " + scale);
    }
  }
}
