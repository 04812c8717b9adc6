package io.mrt.runtime.stage.calibrate;

/**
 * The {@code p}-th percentile of |x| over all batches: the upper edge of the first bin of an
 * {@link AbsHistogram} (default 2048 bins) at which the cumulative count reaches
 * {@code p / 100} of all values, capped at the observed abs-max. Batches accumulate into one
 * histogram, so this is the percentile of all calibration data (to the histogram's resolution).
 * Told how many values an output will have ({@link #observer(long)}), the histogram keeps only the
 * bins near the top ({@link AbsHistogram#upperQuantile}) and gives the same threshold.
 */
final class Percentile implements CalibrationMethod {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Percentile.class);
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
    return observer(new AbsHistogram(bins));
  }

  @Override
  public Observer observer(long expectedValues) {
    return observer(AbsHistogram.upperQuantile(bins, percent / 100.0, expectedValues));
  }

  private Observer observer(AbsHistogram h) {
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
    // the bins below the floor are not kept: the percentile's bin must lie at or above it
    long cum = h.below();
    int floor = h.floor();
    if (floor > 0 && cum >= target) {
      double bound = Math.min(floor * h.width(), h.absMax());
      LOG.warn("percentile {}: {} of {} values lie below the histogram's kept bins (more values came than "
          + "expected), so the threshold {} is an upper bound", percent, cum, h.total(), bound);
      return bound;
    }
    for (int k = floor; k < c.length; k++) {
      cum += c[k];
      if (cum >= target) {
        return Math.min((k + 1) * h.width(), h.absMax());
      }
    }
    return h.absMax();
  }
}
