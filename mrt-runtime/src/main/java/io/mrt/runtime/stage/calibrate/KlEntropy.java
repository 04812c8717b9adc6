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
   * per-group sums (a handful of logarithms instead of one per bin), with a rigorous error bound
   * (see {@link Search#estimates}): the minimum is among the candidates whose lower bound does not
   * exceed the smallest upper bound; when that is one candidate it is the answer, otherwise the
   * definition is evaluated for the candidates whose lower bound does not exceed the best value
   * found, so the chosen bin is always the definition's. The estimate expands the smoothed
   * values' logarithms around the unsmoothed ones: {@code log(p - e) = log p - sum (e/p)^r / r},
   * which needs only power sums of {@code 1/p} (and of {@code 1/q} per group width), truncated
   * after at most {@link #TERMS} terms while {@code e/p <= 1/16}; a candidate beyond that is
   * evaluated by the definition at once. Smoothing failures (an infinite divergence) are decided
   * exactly, with the definition's own arithmetic.
   */
  static int bestBin(long[] hist, int targetBins) {
    return new Search(hist, targetBins).best();
  }

  /** The most terms of the logarithm's series the estimate keeps. */
  static final int TERMS = 8;
  /** The series' coefficients {@code 1 / (r (r - 1))} and {@code 1 / r}, by r. */
  private static final double[] SERIES_A = new double[TERMS + 1];
  private static final double[] SERIES_B = new double[TERMS + 1];
  /**
   * The factors from the series' remainder bounds for R - 1 terms to those for R terms:
   * {@code (R - 1) / (R + 1)} and {@code R / (R + 1)}, by R (rounded: inside the bound's margin).
   */
  private static final double[] REST_A = new double[TERMS + 1];
  private static final double[] REST_B = new double[TERMS + 1];
  static {
    for (int r = 1; r <= TERMS; r++) {
      SERIES_A[r] = r > 1 ? 1 / (r * (r - 1.0)) : 0;
      SERIES_B[r] = 1.0 / r;
      REST_A[r] = (r - 1.0) / (r + 1);
      REST_B[r] = r / (r + 1.0);
    }
  }

  /** The largest {@code e / p} (and {@code e / q}) for which the series is used. */
  private static final double SERIES_LIMIT = 1.0 / 16;
  /**
   * The series' remainder (normalized) the estimate leaves: about 1% of the smallest bound (that of
   * 128 bins, near {@code 783 U}), so that more terms would not narrow the bound noticeably.
   */
  private static final double TAIL = 0x1p-50;
  /** The unit roundoff of double: a rounded operation's relative error is at most {@code U}. */
  private static final double U = 0x1p-53;
  /**
   * The largest total count for which the definition's double sums of counts (and the search's
   * conversions of counts to double) are exact; beyond it every candidate is evaluated.
   */
  private static final long EXACT_COUNTS = 1L << 52;

  /**
   * A compensated sum (Neumaier's): the running sum and the sum of the additions' exact errors,
   * within {@code 1.01 U} of the exact sum of terms that are all {@code >= 0}.
   */
  private static final class CompensatedSum {
    private double sum;
    private double errors;

    void add(double term) {
      double s = sum + term;
      double z = s - sum;
      errors += (sum - (s - z)) + (term - z);
      sum = s;
    }

    double value() {
      return sum + errors;
    }
  }

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
    /**
     * Over the non-zero bins of {@code [0, k)}: sum of h log h and of log h (compensated sums, so
     * within {@code 1.01 U} of the sums of the rounded terms: every term is {@code >= 0}), and of
     * {@code h^-s} (s = 1..rows, plain sums, within {@code k U} relative), filled up to the most
     * terms a candidate has asked for.
     */
    private final double[] hLogH;
    private final double[] logH;
    private final double[][] invH;
    private int rows;
    /** {@code 1/h} and {@code h^-rows} per bin (0 for empty bins). */
    private final double[] inverse;
    private final double[] power;
    /** How many candidates the definition evaluated (tests and logs). */
    int evaluated;
    /** Per candidate of one group width (see {@link #estimates}). */
    private double[] argQ;
    private double[] argT;
    private double[] argR;
    private double[] partial;
    private double[] lastGroup;
    private double[] lastBin;
    private double[] sums;
    private double[] magnitude;
    private double[] series;
    private double[] rest;
    private int[] counted;
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
      invH = new double[TERMS][];
      inverse = new double[n];
      power = new double[n];
      CompensatedSum sumHLogH = new CompensatedSum();
      CompensatedSum sumLogH = new CompensatedSum();
      for (int k = 0; k < n; k++) {
        long h = hist[k];
        count[k + 1] = count[k] + h;
        nonZero[k + 1] = nonZero[k] + (h != 0 ? 1 : 0);
        if (h != 0) {
          double lh = Math.log(h);
          sumHLogH.add(h * lh);
          sumLogH.add(lh);
          inverse[k] = 1.0 / h;
          power[k] = 1;
        }
        hLogH[k + 1] = sumHLogH.value();
        logH[k + 1] = sumLogH.value();
      }
      for (int k = n - 1; k >= 0; k--) {
        suffix[k] = suffix[k + 1] + hist[k];
      }
    }

    /** Fills {@link #invH} up to s = terms - 1. */
    private void rows(int terms) {
      for (int s = rows + 1; s < terms; s++) {
        double[] row = new double[n + 1];
        for (int k = 0; k < n; k++) {
          double pw = power[k] * inverse[k];
          power[k] = pw;
          row[k + 1] = row[k] + pw;
        }
        invH[s] = row;
      }
      rows = Math.max(rows, terms - 1);
    }

    /** Per group width m: sums over the first targetBins - 1 groups (their q never changes with i). */
    private final class Groups {
      /** Sums of {@code count log q} and {@code nonZero log q} over the groups (compensated, every term >= 0). */
      final double pLogQ;
      final double logQ;
      /**
       * Over the groups' non-zero bins: sums of {@code q^-r} (r = 0..powers, plain sums), filled up
       * to the most terms a candidate has asked for. As {@code count = nonZero q} up to q's rounding,
       * the sum of {@code count q^-r} is {@code invQ[r - 1]} within {@code 1.01 U} relative.
       */
      final double[] invQ = new double[TERMS + 1];
      int powers;
      double minQ = Double.POSITIVE_INFINITY;
      /** {@code 1 / minQ} (0 without a non-empty group): y = eQ / minQ within U, in the bound's margin. */
      final double perMinQ;
      /** The non-empty groups' q and non-zero bins. */
      private final double[] qs;
      private final int[] nzs;
      private final int groups;

      Groups(int m) {
        qs = new double[targetBins];
        nzs = new int[targetBins];
        CompensatedSum sumPLogQ = new CompensatedSum();
        CompensatedSum sumLogQ = new CompensatedSum();
        int g = 0;
        for (int j = 0; j < targetBins - 1; j++) {
          long sum = count[(j + 1) * m] - count[j * m];
          int nz = nonZero[(j + 1) * m] - nonZero[j * m];
          if (nz == 0) {
            continue;
          }
          // the definition's q: the group's count (a double sum of longs, exact) over its non-zero bins
          double qj = (double) sum / nz;
          double lq = Math.log(qj);
          sumPLogQ.add(sum * lq);
          sumLogQ.add(nz * lq);
          qs[g] = qj;
          nzs[g] = nz;
          g++;
          minQ = Math.min(minQ, qj);
        }
        groups = g;
        perMinQ = g == 0 ? 0 : 1 / minQ;
        pLogQ = sumPLogQ.value();
        logQ = sumLogQ.value();
        invQ[0] = nonZero[(targetBins - 1) * m];
      }

      /** Fills {@link #invQ} up to r = terms. */
      void powers(int terms) {
        for (int k = 0; k < groups; k++) {
          double inv = 1.0 / qs[k];
          int nz = nzs[k];
          double pw = 1;
          for (int r = 1; r <= terms; r++) {
            pw *= inv;
            if (r > powers) {
              invQ[r] += nz * pw;
            }
          }
        }
        powers = terms;
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
      int fastBest = -1;
      for (int lo = first; lo <= n; ) {
        int m = lo / targetBins;
        int hi = Math.min(n, (m + 1) * targetBins - 1);
        estimates(lo, hi, m, new Groups(m), estimate, bound, lo - first);
        lo = hi + 1;
      }
      for (int i = first; i <= n; i++) {
        if (estimate[i - first] < Double.POSITIVE_INFINITY
            && (fastBest < 0 || estimate[i - first] < estimate[fastBest - first])) {
          fastBest = i;
        }
      }
      if (fastBest < 0) {
        return n;
      }
      // the minimum is at most the smallest upper bound, so it is among the candidates whose lower
      // bound does not exceed that: when only one does, it is the definition's bin
      double upper = Double.POSITIVE_INFINITY;
      for (int c = 0; c < candidates; c++) {
        upper = Math.min(upper, estimate[c] + bound[c]);
      }
      int possible = 0;
      int only = -1;
      for (int c = 0; c < candidates; c++) {
        if (estimate[c] - bound[c] <= upper) {
          possible++;
          only = c;
        }
      }
      if (possible == 1) {
        return first + only;
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

    /**
     * Candidate i's estimate and error bound, as {@link #best} computes them (tests: the bound
     * covers the distance to the definition).
     */
    double[] estimate(int i) {
      double[] estimate = new double[1];
      double[] bound = new double[1];
      int m = i / targetBins;
      estimates(i, i, m, new Groups(m), estimate, bound, 0);
      return new double[] {estimate[0], bound[0]};
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
     * Writes the estimates of candidates {@code [lo, hi]} (of group width m) from index c0, and
     * their error bounds (0 when the value is the definition's own; the estimate is infinite
     * exactly when the definition's is).
     *
     * <p>The bound covers the distance from the estimate to the exact divergence K of the
     * reference distributions (P, Q smoothed in real arithmetic from the counts, the definition's
     * rounded group means q and its rounded {@code eP}, {@code eQ}), plus the distance from K to
     * the definition's value. Throughout, U = 2^-53, counts are exact in double (total below 2^52,
     * else the bound is infinite and every candidate is evaluated), and Math.log is within 1 ulp
     * (relative error 2U).
     *
     * <p>The definition, for i bins: each smoothed value has a relative error of at most U, its sums
     * sp and sq of i terms at most {@code iU} (so each normalized p and q carries a common factor
     * {@code 1 + A}, {@code 1 + B} with |A|, |B| <= iU and its own 2U), the quotient p/q its own
     * 5U more, the logarithm 2U relative and the product U. With l = log(P/Q) per bin, the sum of
     * the terms is {@code sum P (1 + w)(l + log(1+A) - log(1+B) + d)} with |w| <= (i + 5)U,
     * |d| <= 5U, and the final sum of i terms adds at most {@code (i - 1)U sum |term|}. Since
     * {@code sum P |l| <= K + 2} (where P < Q, {@code P log(Q/P) <= Q - P}, whose sum is at most
     * 1), the definition is within {@code U ((2i + 4)(K + 2) + 2i + 5) <= U (2i + 5)(K + 3)} of K
     * (second-order terms, below {@code i^2 U^2}, fit in the slack).
     *
     * <p>The estimate: every value it forms is rounded at most once per operation, each error at
     * most U times a quantity no larger than {@code big} (below, normalized by sp): the compensated
     * prefix sums carry 1.01U, their terms' logarithms and products 3U more (4.1U); the group sums
     * 5U; the {@code R + 4} additions of each of a and b, the last group's and the last bin's
     * terms (4U and 3U, plus {@code U count} each through their logarithms' arguments), the final
     * combination (6U), sp's and sq's own rounding (3U each, and 1U for taking the sum of Q's
     * means as the count: as the ratio's 8U and 2U of its logarithm): below {@code 49 U big} in
     * all, counted as {@code (2R + 48) U big}. The series' power sums are plain sums of
     * up to i (bins) or targetBins (groups) positive terms, within {@code (i + targetBins + 2R + 16) U}
     * of their sums' magnitude, 2U more for {@code count q^-r} taken as {@code nonZero q^-(r-1)}. The series' remainders after R terms are
     * bounded as written where R is chosen (by the non-zero bins' counts, not the counts: the
     * remainder per bin falls as {@code h^-R}). The total is widened by 1%,
     * and {@code 4U |estimate|} covers the rounding of {@code estimate -/+ bound} where it is used.
     */
    private void estimates(int lo, int hi, int m, Groups g, double[] estimate, double[] bound, int c0) {
      if (argQ == null) {
        argQ = new double[targetBins];
        argT = new double[targetBins];
        argR = new double[targetBins];
        partial = new double[targetBins];
        lastGroup = new double[targetBins];
        lastBin = new double[targetBins];
        sums = new double[targetBins];
        magnitude = new double[targetBins];
        series = new double[targetBins];
        rest = new double[targetBins];
        counted = new int[targetBins];
      }
      int f = (targetBins - 1) * m;
      // first the arithmetic before the logarithms, per candidate; then the logarithms; then the rest
      for (int i = lo; i <= hi; i++) {
        int c = c0 + i - lo;
        int k = i - lo;
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
        argQ[k] = 1;
        argT[k] = 1;
        argR[k] = 1;
        counted[k] = 0;
        if (nonZerosP == 0 || nonZerosQ == 0) {
          estimate[c] = Double.POSITIVE_INFINITY;
          continue;
        }
        // smooth()'s arithmetic, so that its failures are decided exactly
        double eP = EPS * zerosP / nonZerosP;
        double eQ = EPS * zerosQ / nonZerosQ;
        double minQ = Math.min(g.minQ, qL != 0 ? qL : Double.POSITIVE_INFINITY);
        if (eP >= 1.0 || eQ >= 1.0 || minQ - eQ <= 0) {
          estimate[c] = Double.POSITIVE_INFINITY;
          continue;
        }
        // non-zero counts are >= 1, so e/p <= eP
        double x = eP;
        double y = eQ * g.perMinQ;
        if (x > SERIES_LIMIT || y > SERIES_LIMIT) {
          estimate[c] = divergence(i);
          bound[c] = 0;
          continue;
        }
        // the series' remainders after R terms (below, before normalizing by sp): over the bins,
        // h sum_{r>R} (eP/h)^r / (r(r-1)) <= eP^(R+1) / (R(R+1)(1 - x)) as h >= 1; over the groups'
        // bins, h sum_{r>R} (eQ/q)^r / r <= h (eQ/q)^(R+1) / ((R+1)(1 - y)), whose sum over a group
        // (count = nonZero q) is at most nonZero eQ y^R / ((R+1)(1 - y)); R is the fewest terms
        // (at most TERMS) that leave less than TAIL
        int inner = i - 1;
        double w = Math.max(x, y);
        double restA = x * x * nonZero[inner] / 2;
        double restB = eQ * y * nonZero[f] / 2;
        double sp = count[n] - nonZerosP * eP + zerosP * EPS;
        double enough = TAIL * sp * (1 - w);
        int terms = 1;
        while (terms < TERMS && restA + restB > enough) {
          terms++;
          restA *= x * REST_A[terms];
          restB *= y * REST_B[terms];
        }
        // sum over non-zero bins of [0, i - 1) of (h - eP) log(h - eP)
        if (terms - 1 > rows) {
          rows(terms);
        }
        double seriesA = 0;
        double pw = eP;
        for (int r = 2; r <= terms; r++) {
          pw *= eP;
          seriesA += pw * SERIES_A[r] * invH[r - 1][inner];
        }
        double a = hLogH[inner] - eP * logH[inner] - nonZero[inner] * eP + seriesA;
        // sum over the first groups' non-zero bins of (h - eP) log(q - eQ)
        if (terms > g.powers) {
          g.powers(terms);
        }
        double seriesB = 0;
        pw = 1;
        for (int r = 1; r <= terms; r++) {
          pw *= eQ;
          seriesB += pw * SERIES_B[r] * (g.invQ[r - 1] - eP * g.invQ[r]);
        }
        double b = g.pLogQ - eP * g.logQ - seriesB;
        // the last group's bins before i - 1 share q = qL: (sumInner - nzInner eP) log(qL - eQ)
        lastGroup[k] = 0;
        if (nzInner != 0) {
          long sumInner = count[i - 1] - count[f];
          lastGroup[k] = sumInner - nzInner * eP;
          argQ[k] = qL - eQ;
        }
        // the last bin: ps log(ps / qs)
        lastBin[k] = 0;
        if (last != 0) {
          double ps = last - eP;
          double qs = qL != 0 ? qL - eQ : EPS;
          lastBin[k] = ps;
          argT[k] = ps / qs;
        }
        double sq = count[i] - nonZerosQ * eQ + zerosQ * EPS;
        argR[k] = sq / sp;
        partial[k] = a - b;
        sums[k] = sp;
        magnitude[k] = hLogH[inner] + eP * logH[inner] + nonZero[inner] * eP + g.pLogQ + eP * g.logQ
            + 4.0 * count[n];
        series[k] = seriesA + seriesB;
        rest[k] = (restA + restB) / (1 - w);
        counted[k] = terms;
      }
      int size = hi - lo + 1;
      for (int k = 0; k < size; k++) {
        argQ[k] = Math.log(argQ[k]);
        argT[k] = Math.log(argT[k]);
        argR[k] = Math.log(argR[k]);
      }
      for (int i = lo; i <= hi; i++) {
        int c = c0 + i - lo;
        int k = i - lo;
        int terms = counted[k];
        if (terms == 0) {
          continue;
        }
        double bl = lastGroup[k] * argQ[k];
        double t = lastBin[k] * argT[k];
        double logRatio = argR[k];
        double sp = sums[k];
        double e = (partial[k] - bl + t) / sp + logRatio;
        estimate[c] = e;
        if (count[n] > EXACT_COUNTS) {
          bound[c] = Double.POSITIVE_INFINITY;
          continue;
        }
        // (the bound's own roundings, a few U relative, are inside its 1% widening)
        double perSp = 1 / sp;
        double truncated = rest[k] * perSp;
        double big = (magnitude[k] + Math.abs(bl) + Math.abs(t)) * perSp + Math.abs(logRatio) + 1;
        double ofEstimate = U * ((2 * terms + 48) * big
            + (i + targetBins + 2 * terms + 18) * series[k] * perSp) + truncated;
        double ofDefinition = U * (2 * i + 5) * (Math.abs(e) + ofEstimate + 3);
        bound[c] = 1.01 * (ofEstimate + ofDefinition) + 4 * U * Math.abs(e);
      }
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
