package io.mrt.runtime.stage.calibrate;

/**
 * MRT's outlier rule ({@code tfm_pass._get_opt} with {@code LAMBD} set): with mean {@code mu},
 * standard deviation {@code sigma = ||x - mu||_2 / sqrt(n)} and {@code alpha = |mu| +
 * lambda * sigma}, the threshold is {@code alpha} if {@code alpha < 0.95 * absmax}, else
 * {@code absmax}.
 *
 * <p>Over several batches the rule is applied once to the union of all batches: the count, the
 * sum and the sum of squares of all values, each batch's values rounded to about 50 bits on a
 * fixed-point grid from that batch's abs-max, are kept exact ({@link FixedPointMoments}), and the
 * mean and variance derived from them are rounded to double once, so they are the same bits
 * whatever the order of the values (an array's layout, the number of threads); they depend only
 * on how the data splits into batches (NUM_CALIB and BATCH fix it). abs-max is the overall
 * maximum. With one batch this is MRT's rule; with more it is the rule on all calibration data,
 * not MRT V3's last batch.
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
      private final FixedPointMoments moments = new FixedPointMoments();
      private double absMax;

      @Override
      public void observe(ObservedValues values) {
        double max;
        if (values instanceof ObservedValues.Floats f32) {
          int bits = ChunkStats.absMaxBits(f32);
          // a NaN makes the maximum NaN, as Math.max does over doubles
          max = bits > ChunkStats.INFINITY_BITS ? Double.NaN : Float.intBitsToFloat(bits);
        } else {
          double[] chunk = Scratch.get().doubles;
          max = 0;
          for (int from = 0, size = values.size(); from < size; from += ObservedValues.CHUNK) {
            int k = Math.min(ObservedValues.CHUNK, size - from);
            values.read(from, chunk, k);
            for (int i = 0; i < k; i++) {
              max = Math.max(max, Math.abs(chunk[i]));
            }
          }
        }
        moments.add(values, max);
        absMax = Math.max(absMax, max);
      }

      @Override
      public double threshold() {
        if (moments.count() == 0) {
          return 0;
        }
        if (!moments.finite()) {
          // the mean and deviation of values with an infinity or NaN are not numbers
          return absMax;
        }
        double sigma = Math.sqrt(moments.variance());
        double alpha = Math.abs(moments.mean()) + lambda * sigma;
        return alpha < 0.95 * absMax ? alpha : absMax;
      }
    };
  }
}
