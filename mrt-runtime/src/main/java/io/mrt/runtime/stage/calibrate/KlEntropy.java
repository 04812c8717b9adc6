package io.mrt.runtime.stage.calibrate;

/**
 * TensorRT-style entropy calibration (as MXNet's {@code _get_optimal_threshold}, on |x|): over an
 * {@link AbsHistogram} of all batches (default 2048 bins), for every candidate {@code i} from
 * {@code targetBins} (default 128, the levels of one sign of an 8-bit integer) to the number of
 * bins, the reference distribution P is bins {@code [0, i)} with the outliers beyond added to
 * bin {@code i - 1}; Q quantizes bins {@code [0, i)} (without the outliers) into
 * {@code targetBins} groups of {@code i / targetBins} bins (the last group takes the remainder),
 * each group's count spread evenly over its non-zero bins of P. Both are smoothed (zeros get
 * {@code eps = 1e-4}, taken evenly from the non-zero bins) and the threshold is the upper edge
 * {@code i * width} of the candidate with the smallest KL(P || Q) (the first one on ties).
 */
final class KlEntropy implements CalibrationMethod {
  static final String NAME = "kl";
  static final double EPS = 1e-4;
  private final int bins;
  private final int targetBins;

  KlEntropy(int bins, int targetBins) {
    if (targetBins < 1 || targetBins > bins) {
      throw new io.mrt.runtime.MrtException("KL target bins must be in [1, " + bins + "], found " + targetBins);
    }
    this.bins = bins;
    this.targetBins = targetBins;
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
        if (h.width() == 0) {
          return 0;
        }
        return Math.min(bestBin(h.counts(), targetBins) * h.width(), h.absMax());
      }
    };
  }

  /** The candidate {@code i} (the number of bins kept) with the smallest divergence. */
  static int bestBin(long[] hist, int targetBins) {
    int best = hist.length;
    double bestKl = Double.POSITIVE_INFINITY;
    for (int i = targetBins; i <= hist.length; i++) {
      double kl = divergence(hist, i, targetBins);
      if (kl < bestKl) {
        bestKl = kl;
        best = i;
      }
    }
    return best;
  }

  /** KL(P || Q) for keeping bins {@code [0, i)}; infinite when Q cannot be smoothed. */
  static double divergence(long[] hist, int i, int targetBins) {
    double[] p = new double[i];
    for (int k = 0; k < i; k++) {
      p[k] = hist[k];
    }
    for (int k = i; k < hist.length; k++) {
      p[i - 1] += hist[k];
    }
    int merged = i / targetBins;
    double[] q = new double[i];
    for (int j = 0; j < targetBins; j++) {
      int start = j * merged;
      int stop = j == targetBins - 1 ? i : start + merged;
      double sum = 0;
      int nonZero = 0;
      for (int k = start; k < stop; k++) {
        sum += hist[k];
        if (p[k] != 0) {
          nonZero++;
        }
      }
      if (nonZero != 0) {
        for (int k = start; k < stop; k++) {
          q[k] = p[k] == 0 ? 0 : sum / nonZero;
        }
      }
    }
    double[] ps = smooth(p);
    double[] qs = smooth(q);
    if (ps == null || qs == null) {
      return Double.POSITIVE_INFINITY;
    }
    return entropy(ps, qs);
  }

  /** MXNet's {@code _smooth_distribution}: null when impossible (all zeros, or eps too large). */
  static double[] smooth(double[] p) {
    int zeros = 0;
    for (double v : p) {
      if (v == 0) {
        zeros++;
      }
    }
    int nonZeros = p.length - zeros;
    if (nonZeros == 0) {
      return null;
    }
    double eps1 = EPS * zeros / nonZeros;
    if (eps1 >= 1.0) {
      return null;
    }
    double[] out = new double[p.length];
    for (int k = 0; k < p.length; k++) {
      out[k] = p[k] == 0 ? EPS : p[k] - eps1;
      if (out[k] <= 0) {
        return null;
      }
    }
    return out;
  }

  /** scipy's {@code entropy(p, q)}: both normalized, {@code sum p log(p / q)}. */
  static double entropy(double[] p, double[] q) {
    double sp = 0;
    double sq = 0;
    for (int k = 0; k < p.length; k++) {
      sp += p[k];
      sq += q[k];
    }
    double kl = 0;
    for (int k = 0; k < p.length; k++) {
      double pk = p[k] / sp;
      double qk = q[k] / sq;
      if (pk > 0) {
        kl += pk * Math.log(pk / qk);
      }
    }
    return kl;
  }
}
