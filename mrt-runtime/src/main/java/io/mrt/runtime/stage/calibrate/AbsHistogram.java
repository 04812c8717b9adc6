package io.mrt.runtime.stage.calibrate;

/**
 * A histogram of |x| over [0, bins * width) that grows with the data: the first non-zero batch
 * sets {@code width = absmax / bins}; a later value beyond the range doubles the width (merging
 * pairs of bins, so counts stay exact) until it fits. The last bin also holds values equal to the
 * upper edge. Used by {@link Percentile} and {@link KlEntropy}; batches accumulate.
 *
 * <p>A histogram made by {@link #upperQuantile} keeps only the bins from a {@link #floor()} up:
 * values in the bins below are only counted ({@link #below()}). An upper percentile such as
 * 99.99 lies far above most values, so most values are then counted by one vector comparison
 * with the floor's lower edge instead of each being divided and counted into its bin. The floor
 * is chosen from the first non-zero batch: a high multiple of {@code bins / 128} such that at least
 * {@link #TAIL_MARGIN} times the share {@code 1 - quantile} of the values expected over all
 * batches lie at or above it, and raised after each batch as far as the values kept allow. The
 * values at or above an edge only grow as batches add, so when the expected count is not exceeded
 * the quantile's bin lies at or above the floor and the kept bins give the full histogram's answer
 * ({@link Percentile#of} checks this and says when not).
 */
final class AbsHistogram {
  private final long[] counts;
  private double width;
  /** {@code width * bins}, kept separately so that growing compares exactly. */
  private double upper;
  private long zerosBeforeRange;
  private long total;
  private double absMax;
  /** The first kept bin: 0 keeps every bin. */
  private int floor;
  /** How many values fell into the bins below {@link #floor}. */
  private long below;
  /**
   * The values at or above the floor the first batch must hold ({@link #upperQuantile}); 0 keeps
   * every bin.
   */
  private final double tailNeeded;

  /**
   * How many times the expected share above the quantile the first batch must hold at or above
   * the floor: a margin for the rounding of the need and for the one case where growing raises
   * the floor's edge (a floor of 1, see {@link #grow}).
   */
  static final int TAIL_MARGIN = 2;

  AbsHistogram(int bins) {
    this(bins, 0);
  }

  private AbsHistogram(int bins, double tailNeeded) {
    if (bins < 2) {
      throw new IllegalArgumentException("a histogram needs at least 2 bins, found " + bins);
    }
    counts = new long[bins];
    this.tailNeeded = tailNeeded;
  }

  /**
   * A histogram for the {@code quantile} (in (0, 1]) of at most {@code expectedValues} values,
   * which keeps only the bins from a floor chosen from the first batch (see the class comment).
   */
  static AbsHistogram upperQuantile(int bins, double quantile, long expectedValues) {
    return new AbsHistogram(bins, TAIL_MARGIN * (1 - quantile) * expectedValues);
  }

  void add(double[] values) {
    add(ObservedValues.of(values));
  }

  void add(ObservedValues values) {
    int size = values.size();
    ObservedValues.Floats floats = values instanceof ObservedValues.Floats f ? f : null;
    if (floor > 0 && floats != null && addTailAtOnce(floats)) {
      return;
    }
    if (floor == 0 && width > 0 && floats != null && addAtOnce(floats)) {
      return;
    }
    int maxBits = floats == null ? 0 : ChunkStats.absMaxBits(floats);
    // NaN values are passed over by the maximum (and fall in bin 0)
    double max = floats != null && maxBits <= ChunkStats.INFINITY_BITS
        ? Float.intBitsToFloat(maxBits) : AbsMax.absMax(values);
    if (max > 0 && width == 0) {
      width = max / counts.length;
      upper = max;
      if (tailNeeded > 0 && floats != null && maxBits < ChunkStats.INFINITY_BITS && addFirstTail(floats)) {
        below += zerosBeforeRange;
        zerosBeforeRange = 0;
        return;
      }
      counts[0] += zerosBeforeRange;
      zerosBeforeRange = 0;
    }
    while (width > 0 && max > upper) {
      grow();
    }
    if (width == 0) {
      zerosBeforeRange += size;
    } else if (floor > 0) {
      addTail(values, floats);
    } else if (floats != null) {
      addFloat32(floats, maxBits < ChunkStats.INFINITY_BITS);
    } else {
      double[] chunk = Scratch.get().doubles;
      int last = counts.length - 1;
      for (int from = 0; from < size; from += ObservedValues.CHUNK) {
        int n = Math.min(ObservedValues.CHUNK, size - from);
        values.read(from, chunk, n);
        for (int i = 0; i < n; i++) {
          // |x| / width >= 0, so the cast floors it (and saturates, NaN to 0, as Math.floor would)
          counts[Math.min(last, (int) (Math.abs(chunk[i]) / width))]++;
        }
      }
    }
    total += size;
    absMax = Math.max(absMax, max);
  }

  /** Sets of counts the float32 path increments in turn ({@link ChunkStats#count}). */
  private static final int WAYS = ChunkStats.WAYS;

  /**
   * The float32 case of {@link #add}: the same bins (the same division of each widened |x|),
   * computed a chunk at a time ({@link ChunkStats#count}, over vectors when the values are finite)
   * and counted into {@code WAYS} sets, then folded into the counts.
   */
  private void addFloat32(ObservedValues.Floats values, boolean finite) {
    int[] c = ways();
    ChunkStats.count(values, width, counts.length, finite, c);
    fold(c);
  }

  /**
   * The float32 paths' counts, all zero: {@code WAYS} sets of {@code bins + 1} counts, set
   * {@code w} at {@code w * (bins + 1)}; the extra bin takes the values at or beyond the upper edge
   * until they are folded into the last bin. The calling thread's ({@link Scratch#ways}): every
   * use folds or clears them before it returns.
   */
  private int[] ways() {
    return Scratch.get().ways(WAYS * (counts.length + 1));
  }

  /** Adds the sets of counts {@code c} to the counts (the extra bin into the last) and zeroes them. */
  private void fold(int[] c) {
    int bins = counts.length;
    int stride = bins + 1;
    for (int k = 0; k <= bins; k++) {
      long sum = 0;
      for (int w = 0; w < WAYS; w++) {
        sum += c[w * stride + k];
        c[w * stride + k] = 0;
      }
      counts[Math.min(k, bins - 1)] += sum;
    }
  }

  /**
   * Adds a later batch of float32 values to a histogram that keeps every bin in one pass
   * ({@link ChunkStats#countBits}, which also finds their abs-max), when the width is a normal
   * float: when no value is NaN and none lies beyond the upper edge (the width stays), the counts
   * are those {@link #add} gives in two passes and are kept; otherwise they are dropped and false
   * returned (the caller finds the abs-max, grows the width and counts again).
   */
  private boolean addAtOnce(ObservedValues.Floats values) {
    if (!ChunkStats.floatWidth(width)) {
      return false;
    }
    int bins = counts.length;
    int[] c = ways();
    int maxBits = ChunkStats.countBits(values, (float) width, bins, c);
    float max = Float.intBitsToFloat(maxBits);
    if (maxBits >= ChunkStats.INFINITY_BITS || max > upper) {
      java.util.Arrays.fill(c, 0);
      return false;
    }
    fold(c);
    total += values.size();
    absMax = Math.max(absMax, max);
    return true;
  }

  /**
   * Adds the first non-zero batch above a floor when one holds enough of it: tries high multiples
   * {@code f} of {@code g = max(1, bins / 128)} below {@code bins} that a sample of about 4,096
   * values proposes (where it finds about 2, 4, 8 and 16 times {@link #tailNeeded}, highest
   * first: a sample rarely overestimates the batch's tail by twice; 1, 2, 4 and 8 times when the
   * sample is the whole batch), counting the values at or above each in one pass ({@link #scan}),
   * and keeps the first floor whose count reaches the need. False, with nothing added, when none
   * does (every bin is then kept). Multiples of g halve exactly while the width doubles up to
   * log2(g) times.
   */
  private boolean addFirstTail(ObservedValues.Floats values) {
    int bins = counts.length;
    int g = Math.max(1, bins / 128);
    int size = values.size();
    // every stride-th run of 64 values: about 4,096 values read in 64 bulk copies
    int runs = Math.max(1, Math.min(64, size / 64));
    int stride = Math.max(1, size / (runs * 64));
    long[] sample = new long[bins];
    int last = bins - 1;
    float[] run = new float[64];
    for (int r = 0; r < runs; r++) {
      int from = r * stride * 64;
      int n = Math.min(64, size - from);
      values.readFloats(from, run, n);
      for (int i = 0; i < n; i++) {
        sample[Math.min(last, (int) ((double) Math.abs(run[i]) / width))]++;
      }
    }
    int[] proposed = new int[4];
    double first = stride == 1 ? tailNeeded : 2 * tailNeeded;
    int j = 0;
    long sampled = 0;
    for (int f = last / g * g, k = last; k >= g && j < proposed.length; k--) {
      sampled += sample[k];
      if (k == f) {
        while (j < proposed.length && (double) sampled * stride >= first * (1 << j)) {
          proposed[j++] = f;
        }
        f -= g;
      }
    }
    for (int k = 0; k < j; k++) {
      if (k > 0 && proposed[k] == proposed[k - 1]) {
        continue;
      }
      int[] maxBits = new int[1];
      long kept = scan(values, proposed[k], maxBits);
      if (kept >= tailNeeded) {
        floor = proposed[k];
        keepScan(size, kept, Float.intBitsToFloat(maxBits[0]));
        return true;
      }
      dropScan();
    }
    return false;
  }

  /**
   * The smallest float {@code a >= 0} whose bin {@code (int) ((double) a / width)} is at least
   * {@code k}: for every float x, {@code |x| >= a} exactly when |x|'s bin (before the cap at the
   * last bin) is {@code k} or more, since the rounded quotient grows with |x| (NaN compares false
   * and its bin is 0). Positive infinity when no finite float reaches bin k.
   */
  static float lowerEdge(double width, int k) {
    float a = (float) (k * width);
    if (Float.isNaN(a) || a < 0) {
      a = 0;
    }
    while (a > 0 && (double) Math.nextDown(a) / width >= k) {
      a = Math.nextDown(a);
    }
    while (!((double) a / width >= k)) {
      a = Math.nextUp(a);
    }
    return a;
  }

  /** The counts of a {@link #scan} until it is kept or dropped; all zero between calls. */
  private long[] pending;

  /**
   * One pass over float32 values that finds their abs-max bits (into {@code maxBits[0]}) and
   * counts those in bins from {@code from} up, with the current width, into {@link #pending};
   * returns how many there were.
   */
  private long scan(ObservedValues.Floats values, int from, int[] maxBits) {
    if (pending == null) {
      pending = new long[counts.length];
    }
    return ChunkStats.scanTail(values, lowerEdge(width, from), width, counts.length - 1, pending, maxBits);
  }

  /** Adds the pending counts of a scanned batch of {@code size} values, {@code kept} of them at or above the floor. */
  private void keepScan(int size, long kept, double max) {
    for (int k = floor; k < counts.length; k++) {
      counts[k] += pending[k];
      pending[k] = 0;
    }
    below += size - kept;
    total += size;
    absMax = Math.max(absMax, max);
    raiseFloor();
  }

  private void dropScan() {
    java.util.Arrays.fill(pending, 0);
  }

  /**
   * Raises the floor to the highest multiple of {@code g = max(1, bins / 128)} whose bins, with
   * those above, still hold {@link #tailNeeded} values: the batches seen so far already hold the
   * tail the quantile needs, so later batches are counted above a higher edge.
   */
  private void raiseFloor() {
    int g = Math.max(1, counts.length / 128);
    long held = 0;
    int f = floor;
    for (int k = counts.length - 1; k >= floor + g; k--) {
      held += counts[k];
      if (k % g == 0 && held >= tailNeeded) {
        f = k;
        break;
      }
    }
    for (int k = floor; k < f; k++) {
      below += counts[k];
      counts[k] = 0;
    }
    floor = f;
  }

  /**
   * Adds a later batch of float32 values above the floor in one pass ({@link #scan}), which
   * counts with the current width: when no value is NaN and none lies beyond the upper edge (the
   * width stays), the counts are those {@link #addTail} gives and are kept; otherwise they are
   * dropped and false returned (the caller grows the width and counts again).
   */
  private boolean addTailAtOnce(ObservedValues.Floats values) {
    int[] maxBits = new int[1];
    long kept = scan(values, floor, maxBits);
    if (maxBits[0] < ChunkStats.INFINITY_BITS && Float.intBitsToFloat(maxBits[0]) <= upper) {
      keepScan(values.size(), kept, Float.intBitsToFloat(maxBits[0]));
      return true;
    }
    dropScan();
    return false;
  }

  /**
   * Adds a batch above a floor: values whose bin is below the floor are counted in {@link #below},
   * the others into their bins, the bin computed as the full histogram computes it.
   */
  private void addTail(ObservedValues values, ObservedValues.Floats floats) {
    int last = counts.length - 1;
    long kept;
    if (floats != null) {
      kept = ChunkStats.scanTail(floats, lowerEdge(width, floor), width, last, counts, new int[1]);
    } else {
      kept = 0;
      double[] chunk = Scratch.get().doubles;
      for (int from = 0, size = values.size(); from < size; from += ObservedValues.CHUNK) {
        int n = Math.min(ObservedValues.CHUNK, size - from);
        values.read(from, chunk, n);
        for (int i = 0; i < n; i++) {
          int k = Math.min(last, (int) (Math.abs(chunk[i]) / width));
          if (k >= floor) {
            counts[k]++;
            kept++;
          }
        }
      }
    }
    below += values.size() - kept;
  }

  /**
   * Doubles the width: bin k of the new width is bins 2k and 2k + 1 of the old. A floor f becomes
   * {@code ceil(f / 2)}: the same edge when f is even; for f = 1 the new bin 0 holds the old bin 1,
   * which moves to {@link #below} (the one case where the kept values shrink).
   */
  private void grow() {
    int n = counts.length;
    for (int i = 0; i < n / 2; i++) {
      counts[i] = counts[2 * i] + counts[2 * i + 1];
    }
    if (n % 2 == 1) {
      counts[n / 2] = counts[n - 1];
      java.util.Arrays.fill(counts, n / 2 + 1, n, 0);
    } else {
      java.util.Arrays.fill(counts, n / 2, n, 0);
    }
    width *= 2;
    upper *= 2;
    if (floor > 0) {
      floor = (floor + 1) / 2;
      for (int k = 0; k < floor; k++) {
        below += counts[k];
        counts[k] = 0;
      }
    }
  }

  /** The counts per bin; those below {@link #floor()} are 0 (their values are in {@link #below()}). */
  long[] counts() {
    return counts.clone();
  }

  /** The first bin kept; 0 when every bin is. */
  int floor() {
    return floor;
  }

  /** How many values fell below {@link #floor()}. */
  long below() {
    return below;
  }

  double width() {
    return width;
  }

  long total() {
    return total;
  }

  double absMax() {
    return absMax;
  }
}
