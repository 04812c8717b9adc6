package io.mrt.runtime.data;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Accumulates top-k accuracy over batches of class scores. A sample counts as correct when its
 * label is among the {@code k} highest scores; ties rank the lower class index first, so top-1 is
 * the first index of the maximum (numpy's and MXNet's argmax). A NaN score for the label is never
 * correct. Not thread-safe.
 */
public final class TopKAccuracy {
  private final int k;
  private long correct;
  private long total;

  /** An accumulator for top-{@code k}. */
  public TopKAccuracy(int k) {
    if (k < 1) {
      throw new IllegalArgumentException("k must be >= 1, found " + k);
    }
    this.k = k;
  }

  /** Whether {@code label} ranks within the top {@code k} of {@code scores}. */
  public static boolean inTopK(double[] scores, int label, int k) {
    if (label < 0 || label >= scores.length || Double.isNaN(scores[label])) {
      return false;
    }
    double s = scores[label];
    int better = 0;
    for (int j = 0; j < scores.length; j++) {
      if (scores[j] > s || (scores[j] == s && j < label)) {
        better++;
      }
    }
    return better < k;
  }

  /** Adds one sample. */
  public void update(double[] scores, int label) {
    if (inTopK(scores, label, k)) {
      correct++;
    }
    total++;
  }

  /**
   * Adds a batch: {@code scores} has the batch first and the classes after it (a shape such as
   * (N, 10) or (N, 10, 1, 1)), of any numeric type (float outputs, or integer outputs of a CVM model).
   */
  public void update(INDArray scores, int[] labels) {
    double[][] rows = rows(scores, labels);
    for (int i = 0; i < rows.length; i++) {
      update(rows[i], labels[i]);
    }
  }

  static double[][] rows(INDArray scores, int[] labels) {
    if (scores.rank() < 2 || scores.size(0) != labels.length) {
      throw new IllegalArgumentException("expected scores of shape (" + labels.length
          + ", classes...), found " + java.util.Arrays.toString(scores.shape()));
    }
    INDArray m = scores.castTo(DataType.DOUBLE).reshape('c', labels.length, -1);
    return m.toDoubleMatrix();
  }

  /** The number of correct samples. */
  public long correct() {
    return correct;
  }

  /** The number of samples seen. */
  public long total() {
    return total;
  }

  /** correct / total (0 before any sample). */
  public double value() {
    return total == 0 ? 0 : (double) correct / total;
  }

  /** The k of this accumulator. */
  public int k() {
    return k;
  }
}
