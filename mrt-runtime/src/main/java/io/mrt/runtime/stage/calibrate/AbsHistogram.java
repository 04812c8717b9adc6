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
    double max = AbsMax.absMax(values);
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
    } else if (values instanceof ObservedValues.Floats floats) {
      addFloat32(floats);
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

  /**
   * The float32 case of {@link #add}: the same bins (the same division of each widened |x|),
   * computed first and counted after, into two sets of counts (even and odd positions) so that
   * runs of values in one bin do not wait on each other's increments. (Multiplying by the inverse
   * width, with the division only next to bin edges, gives the same bins but was slower.)
   */
  private void addFloat32(ObservedValues.Floats values) {
    float[] chunk = ObservedValues.floatChunk();
    int[] bin = new int[ObservedValues.CHUNK];
    long[] odd = new long[counts.length];
    int last = counts.length - 1;
    for (int from = 0, size = values.size(); from < size; from += ObservedValues.CHUNK) {
      int n = Math.min(ObservedValues.CHUNK, size - from);
      values.readFloats(from, chunk, n);
      for (int i = 0; i < n; i++) {
        // |x| / width >= 0, so the cast floors it (and saturates, NaN to 0, as Math.floor would)
        bin[i] = Math.min(last, (int) ((double) Math.abs(chunk[i]) / width));
      }
      int i = 0;
      for (; i + 1 < n; i += 2) {
        counts[bin[i]]++;
        odd[bin[i + 1]]++;
      }
      if (i < n) {
        counts[bin[i]]++;
      }
    }
    for (int k = 0; k <= last; k++) {
      counts[k] += odd[k];
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
