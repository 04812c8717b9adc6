package io.mrt.runtime.stage.calibrate;

/**
 * A histogram of |x| over [0, bins * width) that grows with the data: the first non-zero batch
 * sets {@code width = absmax / bins}; a later value beyond the range doubles the width (merging
 * pairs of bins, so counts stay exact) until it fits. The last bin also holds values equal to the
 * upper edge. Used by {@link Percentile} and {@link KlEntropy}; batches accumulate.
 */
final class AbsHistogram {
  private final long[] counts;
  private double width;
  /** {@code width * bins}, kept separately so that growing compares exactly. */
  private double upper;
  private long zerosBeforeRange;
  private long total;
  private double absMax;

  AbsHistogram(int bins) {
    if (bins < 2) {
      throw new IllegalArgumentException("a histogram needs at least 2 bins, found " + bins);
    }
    counts = new long[bins];
  }

  void add(double[] values) {
    add(ObservedValues.of(values));
  }

  void add(ObservedValues values) {
    int size = values.size();
    ObservedValues.Floats floats = values instanceof ObservedValues.Floats f ? f : null;
    int maxBits = floats == null ? 0 : ChunkStats.absMaxBits(floats);
    // NaN values are passed over by the maximum (and fall in bin 0)
    double max = floats != null && maxBits <= ChunkStats.INFINITY_BITS
        ? Float.intBitsToFloat(maxBits) : AbsMax.absMax(values);
    if (max > 0 && width == 0) {
      width = max / counts.length;
      upper = max;
      counts[0] += zerosBeforeRange;
      zerosBeforeRange = 0;
    }
    while (width > 0 && max > upper) {
      grow();
    }
    if (width == 0) {
      zerosBeforeRange += size;
    } else if (floats != null) {
      addFloat32(floats, maxBits < ChunkStats.INFINITY_BITS);
    } else {
      double[] chunk = ObservedValues.chunk();
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
   * The float32 path's counts: {@code WAYS} sets of {@code bins + 1} counts, set {@code w} at
   * {@code w * (bins + 1)}; the extra bin takes the values at or beyond the upper edge until they
   * are folded into the last bin. All zero between calls.
   */
  private int[] ways;

  /**
   * The float32 case of {@link #add}: the same bins (the same division of each widened |x|),
   * computed a chunk at a time ({@link ChunkStats#count}, over vectors when the values are finite)
   * and counted into {@code WAYS} sets, then folded into the counts.
   */
  private void addFloat32(ObservedValues.Floats values, boolean finite) {
    int bins = counts.length;
    int stride = bins + 1;
    if (ways == null) {
      ways = new int[WAYS * stride];
    }
    int[] c = ways;
    ChunkStats.count(values, width, bins, finite, c);
    for (int k = 0; k <= bins; k++) {
      long sum = 0;
      for (int w = 0; w < WAYS; w++) {
        sum += c[w * stride + k];
        c[w * stride + k] = 0;
      }
      counts[Math.min(k, bins - 1)] += sum;
    }
  }

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
  }

  long[] counts() {
    return counts.clone();
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
