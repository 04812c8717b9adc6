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

  /**
   * The candidate {@code i} (the number of bins kept) with the smallest divergence, the first one
   * on ties: {@link #divergence}'s minimum over {@code [targetBins, hist.length]}, found without
   * evaluating every candidate. Each candidate gets an estimate from prefix sums over the bins and
   * per-group sums (a handful of logarithms instead of one per bin), with an error bound; the
   * definition is then evaluated only for the candidates whose lower bound does not exceed the
   * best value found, so the chosen bin is the definition's. The estimate expands the smoothed
   * values' logarithms around the unsmoothed ones: {@code log(p - e) = log p - sum (e/p)^r / r},
   * which needs only power sums of {@code 1/p} (and of {@code 1/q} per group width), truncated
   * after {@link #TERMS} terms while {@code e/p <= 1/16}; a candidate beyond that is evaluated by
   * the definition at once. Smoothing failures (an infinite divergence) are decided exactly, with
   * the definition's own arithmetic.
   */
  static int bestBin(long[] hist, int targetBins) {
    return new Search(hist, targetBins).best();
  }

  /** Terms of the logarithm's series the estimate keeps. */
  static final int TERMS = 8;
  /** The series' coefficients {@code 1 / (r (r - 1))} and {@code 1 / r}, by r. */
  private static final double[] SERIES_A = new double[TERMS + 1];
  private static final double[] SERIES_B = new double[TERMS + 1];

  static {
    for (int r = 1; r <= TERMS; r++) {
      SERIES_A[r] = r > 1 ? 1 / (r * (r - 1.0)) : 0;
      SERIES_B[r] = 1.0 / r;
    }
  }

  /** {@code v^(TERMS + 1)} = v^9 by multiplications (a few ulps from {@code Math.pow}, far inside the bound's margin). */
  private static double ninth(double v) {
    double v2 = v * v;
    double v4 = v2 * v2;
    return v4 * v4 * v;
  }

  /** The largest {@code e / p} (and {@code e / q}) for which the series is used. */
  private static final double SERIES_LIMIT = 1.0 / 16;
  /**
   * The estimate's rounding allowance, relative to the magnitude of its parts (the sums of
   * {@code p log p} and {@code p log q} over the bins, normalized): a sum of at most 2,048 terms
   * in double rounds to at most {@code 2048 * 2^-53 = 2.3e-13} of its terms' magnitude, in the
   * definition as in the estimate, so this leaves a margin of 40. (On ResNet-20's histograms the
   * estimate and the definition differ by at most 1.2e-13 for a magnitude of about 40.)
   */
  private static final double ROUNDING = 1e-11;

  /** One search over one histogram: prefix sums, then an estimate per candidate, then checks. */
  static final class Search {
    private final long[] hist;
    private final int targetBins;
    private final int n;
    /** Counts of bins {@code [0, k)} and of bins {@code [k, n)} (the outliers of candidate k). */
    private final long[] count;
    private final long[] suffix;
    /** Non-zero bins of {@code [0, k)}. */
    private final int[] nonZero;
    /** Over the non-zero bins of {@code [0, k)}: sum of h log h, of log h, and of h^-s (s = 1..TERMS-1). */
    private final double[] hLogH;
    private final double[] logH;
    private final double[][] invH;
    /** How many candidates the definition evaluated (tests and logs). */
    int evaluated;
    private double[] p;
    private double[] q;

    Search(long[] hist, int targetBins) {
      this.hist = hist;
      this.targetBins = targetBins;
      this.n = hist.length;
      count = new long[n + 1];
      suffix = new long[n + 1];
      nonZero = new int[n + 1];
      hLogH = new double[n + 1];
      logH = new double[n + 1];
      invH = new double[TERMS][n + 1];
      for (int k = 0; k < n; k++) {
        long h = hist[k];
        count[k + 1] = count[k] + h;
        nonZero[k + 1] = nonZero[k] + (h != 0 ? 1 : 0);
        double lh = h != 0 ? Math.log(h) : 0;
        hLogH[k + 1] = hLogH[k] + h * lh;
        logH[k + 1] = logH[k] + lh;
        double inv = h != 0 ? 1.0 / h : 0;
        double pw = 1;
        for (int s = 1; s < TERMS; s++) {
          pw *= inv;
          invH[s][k + 1] = invH[s][k] + pw;
        }
      }
      for (int k = n - 1; k >= 0; k--) {
        suffix[k] = suffix[k + 1] + hist[k];
      }
    }

    /** Per group width m: sums over the first targetBins - 1 groups (their q never changes with i). */
    private final class Groups {
      double pLogQ;
      double logQ;
      /** Over the non-zero bins: sum of p q^-r and of q^-r (r = 1..TERMS). */
      final double[] pInvQ = new double[TERMS + 1];
      final double[] invQ = new double[TERMS + 1];
      double minQ = Double.POSITIVE_INFINITY;

      Groups(int m) {
        for (int j = 0; j < targetBins - 1; j++) {
          long sum = count[(j + 1) * m] - count[j * m];
          int nz = nonZero[(j + 1) * m] - nonZero[j * m];
          if (nz == 0) {
            continue;
          }
          // the definition's q: the group's count (a double sum of longs, exact) over its non-zero bins
          double qj = (double) sum / nz;
          double lq = Math.log(qj);
          pLogQ += sum * lq;
          logQ += nz * lq;
          double inv = 1.0 / qj;
          double pw = 1;
          for (int r = 1; r <= TERMS; r++) {
            pw *= inv;
            pInvQ[r] += sum * pw;
            invQ[r] += nz * pw;
          }
          minQ = Math.min(minQ, qj);
        }
      }
    }

    int best() {
      int first = targetBins;
      if (first > n) {
        return n;
      }
      int candidates = n - first + 1;
      double[] estimate = new double[candidates];
      double[] bound = new double[candidates];
      Groups groups = null;
      int groupWidth = -1;
      int fastBest = -1;
      for (int i = first; i <= n; i++) {
        int m = i / targetBins;
        if (m != groupWidth) {
          groupWidth = m;
          groups = new Groups(m);
        }
        estimate(i, m, groups, estimate, bound, i - first);
        if (estimate[i - first] < Double.POSITIVE_INFINITY
            && (fastBest < 0 || estimate[i - first] < estimate[fastBest - first])) {
          fastBest = i;
        }
      }
      if (fastBest < 0) {
        return n;
      }
      int best = fastBest;
      double bestKl = bound[fastBest - first] == 0 ? estimate[fastBest - first] : divergence(fastBest);
      for (int i = first; i <= n; i++) {
        int c = i - first;
        if (i == fastBest || estimate[c] == Double.POSITIVE_INFINITY || estimate[c] - bound[c] > bestKl) {
          continue;
        }
        double kl = bound[c] == 0 ? estimate[c] : divergence(i);
        if (kl < bestKl || (kl == bestKl && i < best)) {
          bestKl = kl;
          best = i;
        }
      }
      return bestKl == Double.POSITIVE_INFINITY ? n : best;
    }

    /** The definition for candidate i, into reused arrays. */
    private double divergence(int i) {
      if (p == null) {
        p = new double[n];
        q = new double[n];
      }
      evaluated++;
      return KlEntropy.divergence(hist, i, targetBins, p, q);
    }

    /**
     * Writes candidate i's estimate and its error bound (0 when the value is the definition's
     * own; the estimate is infinite exactly when the definition's is).
     */
    private void estimate(int i, int m, Groups g, double[] estimate, double[] bound, int c) {
      int f = (targetBins - 1) * m;
      long last = hist[i - 1] + suffix[i];
      // P: bins [0, i) with the outliers in bin i - 1; Q: zero where P is, else its group's mean
      long sumL = count[i] - count[f];
      int nzInner = nonZero[i - 1] - nonZero[f];
      int nzL = nzInner + (last != 0 ? 1 : 0);
      int zerosP = (f - nonZero[f]) + (i - f - nzL);
      int nonZerosP = i - zerosP;
      double qL = nzL == 0 ? 0 : (double) sumL / nzL;
      int zerosQ = (f - nonZero[f]) + (qL == 0 ? i - f : i - f - nzL);
      int nonZerosQ = i - zerosQ;
      if (nonZerosP == 0 || nonZerosQ == 0) {
        estimate[c] = Double.POSITIVE_INFINITY;
        return;
      }
      // smooth()'s arithmetic, so that its failures are decided exactly
      double eP = EPS * zerosP / nonZerosP;
      double eQ = EPS * zerosQ / nonZerosQ;
      double minQ = Math.min(g.minQ, qL != 0 ? qL : Double.POSITIVE_INFINITY);
      if (eP >= 1.0 || eQ >= 1.0 || minQ - eQ <= 0) {
        estimate[c] = Double.POSITIVE_INFINITY;
        return;
      }
      // non-zero counts are >= 1, so e/p <= eP
      double x = eP;
      double y = g.minQ == Double.POSITIVE_INFINITY ? 0 : eQ / g.minQ;
      if (x > SERIES_LIMIT || y > SERIES_LIMIT) {
        estimate[c] = divergence(i);
        bound[c] = 0;
        return;
      }
      // sum over non-zero bins of [0, i - 1) of (h - eP) log(h - eP)
      int inner = i - 1;
      double a = hLogH[inner] - eP * logH[inner] - nonZero[inner] * eP;
      double pw = eP;
      for (int r = 2; r <= TERMS; r++) {
        pw *= eP;
        a += pw * SERIES_A[r] * invH[r - 1][inner];
      }
      // sum over the first groups' non-zero bins of (h - eP) log(q - eQ)
      double b = g.pLogQ - eP * g.logQ;
      pw = 1;
      for (int r = 1; r <= TERMS; r++) {
        pw *= eQ;
        b -= pw * SERIES_B[r] * (g.pInvQ[r] - eP * g.invQ[r]);
      }
      // the last group's bins before i - 1 share q = qL
      double bl = 0;
      if (nzInner != 0) {
        long sumInner = count[i - 1] - count[f];
        bl = (sumInner - nzInner * eP) * Math.log(qL - eQ);
      }
      double t = 0;
      if (last != 0) {
        double ps = last - eP;
        double qs = qL != 0 ? qL - eQ : EPS;
        t = ps * Math.log(ps / qs);
      }
      double sp = count[n] - nonZerosP * eP + zerosP * EPS;
      double sq = count[i] - nonZerosQ * eQ + zerosQ * EPS;
      double lsp = Math.log(sp);
      double lsq = Math.log(sq);
      estimate[c] = (a - b - bl + t) / sp + lsq - lsp;
      double truncated = count[inner] * ninth(x) / (TERMS * (TERMS + 1.0) * (1 - x))
          + count[f] * ninth(y) / ((TERMS + 1.0) * (1 - y));
      double magnitude = (Math.abs(a) + Math.abs(b) + Math.abs(bl) + Math.abs(t) + Math.abs(hLogH[inner])
          + Math.abs(g.pLogQ)) / sp + Math.abs(lsq) + Math.abs(lsp) + 1;
      bound[c] = ROUNDING * magnitude + truncated / sp;
    }
  }

  /** KL(P || Q) for keeping bins {@code [0, i)}; infinite when Q cannot be smoothed. */
  static double divergence(long[] hist, int i, int targetBins) {
    return divergence(hist, i, targetBins, new double[i], new double[i]);
  }

  /** {@link #divergence(long[], int, int)} in the arrays {@code p} and {@code q} (at least i long). */
  static double divergence(long[] hist, int i, int targetBins, double[] p, double[] q) {
    for (int k = 0; k < i; k++) {
      p[k] = hist[k];
    }
    for (int k = i; k < hist.length; k++) {
      p[i - 1] += hist[k];
    }
    int merged = i / targetBins;
    java.util.Arrays.fill(q, 0, i, 0);
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
    if (!smoothInPlace(p, i) || !smoothInPlace(q, i)) {
      return Double.POSITIVE_INFINITY;
    }
    return entropy(p, q, i);
  }

  /** MXNet's {@code _smooth_distribution}: null when impossible (all zeros, or eps too large). */
  static double[] smooth(double[] p) {
    double[] out = p.clone();
    return smoothInPlace(out, out.length) ? out : null;
  }

  /** {@link #smooth} of {@code p[0, n)} in place; false when impossible. */
  private static boolean smoothInPlace(double[] p, int n) {
    int zeros = 0;
    for (int k = 0; k < n; k++) {
      if (p[k] == 0) {
        zeros++;
      }
    }
    int nonZeros = n - zeros;
    if (nonZeros == 0) {
      return false;
    }
    double eps1 = EPS * zeros / nonZeros;
    if (eps1 >= 1.0) {
      return false;
    }
    for (int k = 0; k < n; k++) {
      p[k] = p[k] == 0 ? EPS : p[k] - eps1;
      if (p[k] <= 0) {
        return false;
      }
    }
    return true;
  }

  /** scipy's {@code entropy(p, q)}: both normalized, {@code sum p log(p / q)}. */
  static double entropy(double[] p, double[] q) {
    return entropy(p, q, p.length);
  }

  private static double entropy(double[] p, double[] q, int n) {
    double sp = 0;
    double sq = 0;
    for (int k = 0; k < n; k++) {
      sp += p[k];
      sq += q[k];
    }
    double kl = 0;
    for (int k = 0; k < n; k++) {
      double pk = p[k] / sp;
      double qk = q[k] / sq;
      if (pk > 0) {
        kl += pk * Math.log(pk / qk);
      }
    }
    return kl;
  }
}
