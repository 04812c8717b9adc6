package io.mrt.runtime.stage.calibrate;

/**
 * MRT's default ({@code LAMBD: None}): the threshold is the largest |x|. Over several batches it
 * is the maximum of the batches' abs-max, i.e. the abs-max of all calibration data (MRT V3 keeps
 * only the last batch's).
 */
final class AbsMax implements CalibrationMethod {
  static final String NAME = "abs_max";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Observer observer() {
    return new Observer() {
      private double max;

      @Override
      public void observe(ObservedValues values) {
        max = Math.max(max, absMax(values));
      }

      @Override
      public double threshold() {
        return max;
      }
    };
  }

  /** The largest |x| of {@code values}, 0 when empty; NaN values are passed over. */
  static double absMax(ObservedValues values) {
    if (values instanceof ObservedValues.Floats floats) {
      int bits = absMaxBits(floats);
      if (bits <= INFINITY_BITS) {
        return Float.intBitsToFloat(bits);
      }
    }
    double[] chunk = ObservedValues.chunk();
    double max = 0;
    for (int from = 0, size = values.size(); from < size; from += ObservedValues.CHUNK) {
      int n = Math.min(ObservedValues.CHUNK, size - from);
      values.read(from, chunk, n);
      for (int i = 0; i < n; i++) {
        double a = Math.abs(chunk[i]);
        if (a > max) {
          max = a;
        }
      }
    }
    return max;
  }

  /** The bits of the float32 infinity: abs-max bits above it mean that a value is NaN. */
  static final int INFINITY_BITS = 0x7f80_0000;

  /**
   * The largest of the values' bits with the sign cleared: the bits of the largest |x| when no
   * value is NaN (non-negative floats order as their bits), above {@link #INFINITY_BITS} when one
   * is; 0 when empty ({@link ChunkStats#absMaxBits}).
   */
  static int absMaxBits(ObservedValues.Floats values) {
    return ChunkStats.absMaxBits(values);
  }
}
