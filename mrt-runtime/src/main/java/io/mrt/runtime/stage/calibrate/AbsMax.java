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
      public void observe(double[] values) {
        for (double v : values) {
          double a = Math.abs(v);
          if (a > max) {
            max = a;
          }
        }
      }

      @Override
      public double threshold() {
        return max;
      }
    };
  }
}
