package io.mrt.runtime.data;

/**
 * How often two models pick the same class: the share of samples whose top-1 class (the index of
 * the largest score, the first one on a tie) is the same in both score vectors. Evaluate reports it
 * for the float and the quantized model. Not thread-safe.
 */
public final class TopOneAgreement {
  private long agreed;
  private long total;

  /** Adds one sample: the scores of the two models. */
  public void update(double[] a, double[] b) {
    if (a.length != b.length) {
      throw new IllegalArgumentException("score vectors of " + a.length + " and " + b.length + " classes");
    }
    if (argmax(a) == argmax(b)) {
      agreed++;
    }
    total++;
  }

  /** The index of the largest value, the first one on a tie. */
  public static int argmax(double[] v) {
    int best = 0;
    for (int i = 1; i < v.length; i++) {
      if (v[i] > v[best]) {
        best = i;
      }
    }
    return best;
  }

  /** Samples where both picked the same class. */
  public long agreed() {
    return agreed;
  }

  /** Samples seen. */
  public long total() {
    return total;
  }

  /** {@link #agreed()} over {@link #total()}; 0 before any sample. */
  public double value() {
    return total == 0 ? 0 : (double) agreed / total;
  }
}
