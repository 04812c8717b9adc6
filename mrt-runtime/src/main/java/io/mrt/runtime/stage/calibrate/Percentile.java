package io.mrt.runtime.stage.calibrate;

/**
 * The {@code p}-th percentile of |x| over all batches: the upper edge of the first bin of an
 * {@link AbsHistogram} (default 2048 bins) at which the cumulative count reaches
 * {@code p / 100} of all values, capped at the observed abs-max. Batches accumulate into one
 * histogram, so this is the percentile of all calibration data (to the histogram's resolution).
 */
final class Percentile implements CalibrationMethod {
  static final String NAME = "percentile";
  private final double percent;
  private final int bins;

  Percentile(double percent, int bins) {
    if (!(percent > 0 && percent <= 100)) {
      throw new io.mrt.runtime.MrtException("CALIBRATE.PERCENTILE must be in (0, 100], found " + percent);
    }
    this.percent = percent;
    this.bins = bins;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Observer observer() {
    AbsHistogram h = new AbsHistogram(bins);
    return new Observer() {
      @Override
      public void observe(ObservedValues values) {
        h.add(values);
      }

      @Override
      public double threshold() {
        return of(h, percent);
      }
    };
  }

  static double of(AbsHistogram h, double percent) {
    if (h.width() == 0) {
      return 0;
    }
    long[] c = h.counts();
    double target = percent / 100.0 * h.total();
    long cum = 0;
    for (int k = 0; k < c.length; k++) {
      cum += c[k];
      if (cum >= target) {
        return Math.min((k + 1) * h.width(), h.absMax());
      }
    }
    return h.absMax();
  }
}
