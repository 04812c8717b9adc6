package io.mrt.runtime.stage.quantize;

/**
 * What the quantize stage knows of one entry of the graph being built.
 *
 * @param scale the scale (an integer {@code q} stands for {@code q / scale}); 1 for floats
 * @param precision the precision in bits (MRT's bookkeeping, an upper bound)
 * @param threshold the calibrated float threshold of the original node
 * @param kind integer, float parameter or float (restored) value
 */
record Info(double scale, int precision, double threshold, Kind kind) {
  /** The kinds of entries. */
  enum Kind {
    /** An integer tensor of the quantized graph. */
    INTEGER,
    /** A parameter not requantized yet (still float). */
    FLOAT_PARAM,
    /** A float value: the output of a restored node or of a dequantizing division. */
    FLOAT
  }

  static Info integer(double scale, int precision, double threshold) {
    return new Info(scale, precision, threshold, Kind.INTEGER);
  }
}
