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
      int bits = ChunkStats.absMaxBits(floats);
      if (bits <= ChunkStats.INFINITY_BITS) {
        return Float.intBitsToFloat(bits);
      }
    }
    double[] chunk = Scratch.get().doubles;
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
}
