package io.mrt.api.hook;

import io.mrt.api.graph.Entry;

/**
 * The result of a {@link QuantizeHook}: the integer entry that replaces the node's output, the
 * scale {@code s} such that {@code float ~= int / s}, and the precision in bits.
 */
public record Quantized(Entry output, double scale, int precision) {
  /** Checks the precision range [1, 32] and a positive finite scale. */
  public Quantized {
    if (precision < 1 || precision > 32) {
      throw new IllegalArgumentException("precision of " + output + " must be in [1, 32], found " + precision);
    }
    if (!(scale > 0) || Double.isInfinite(scale)) {
      throw new IllegalArgumentException("scale of " + output + " must be positive and finite, found " + scale);
    }
  }
}
