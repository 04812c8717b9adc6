package io.mrt.runtime.stage.calibrate;

/**
 * MRT's outlier rule ({@code tfm_pass._get_opt} with {@code LAMBD} set): with mean {@code mu},
 * standard deviation {@code sigma = ||x - mu||_2 / sqrt(n)} and {@code alpha = |mu| +
 * lambda * sigma}, the threshold is {@code alpha} if {@code alpha < 0.95 * absmax}, else
 * {@code absmax}.
 *
 * <p>Over several batches the rule is applied once to the union of all batches: count, mean and
 * the sum of squared deviations are merged exactly (Chan et al.'s pairwise update, in float64)
 * and abs-max is the overall maximum. With one batch this is MRT's rule; with more it is the
 * rule on all calibration data, not MRT V3's last batch.
 */
final class LambdaOutlier implements CalibrationMethod {
  static final String NAME = "lambda";
  private final double lambda;

  LambdaOutlier(double lambda) {
    if (!(lambda >= 0) || Double.isInfinite(lambda)) {
      throw new io.mrt.runtime.MrtException("CALIBRATE.LAMBD must be finite and >= 0, found " + lambda);
    }
    this.lambda = lambda;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Observer observer() {
    return new Observer() {
      private long n;
      private double mean;
      private double m2;
      private double absMax;

      @Override
      public void observe(ObservedValues values) {
        int size = values.size();
        if (size == 0) {
          return;
        }
        double[] chunk = ObservedValues.chunk();
        double sum = 0;
        for (int from = 0; from < size; from += ObservedValues.CHUNK) {
          int k = Math.min(ObservedValues.CHUNK, size - from);
          values.read(from, chunk, k);
          for (int i = 0; i < k; i++) {
            double v = chunk[i];
            sum += v;
            absMax = Math.max(absMax, Math.abs(v));
          }
        }
        double bMean = sum / size;
        double bM2 = 0;
        for (int from = 0; from < size; from += ObservedValues.CHUNK) {
          int k = Math.min(ObservedValues.CHUNK, size - from);
          values.read(from, chunk, k);
          for (int i = 0; i < k; i++) {
            double d = chunk[i] - bMean;
            bM2 += d * d;
          }
        }
        long nb = size;
        long total = n + nb;
        double delta = bMean - mean;
        m2 = m2 + bM2 + delta * delta * ((double) n * nb / total);
        mean = mean + delta * nb / total;
        n = total;
      }

      @Override
      public double threshold() {
        if (n == 0) {
          return 0;
        }
        double sigma = Math.sqrt(m2 / n);
        double alpha = Math.abs(mean) + lambda * sigma;
        return alpha < 0.95 * absMax ? alpha : absMax;
      }
    };
  }
}
