package io.mrt.runtime.data;

import java.util.Locale;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Top-1 and top-5 accuracy together, the classification metric of MRT's evaluate stage. Prints as
 * {@code top1=99.03% top5=100.00%}. Not thread-safe.
 */
public final class ClassificationAccuracy {
  private final TopKAccuracy top1 = new TopKAccuracy(1);
  private final TopKAccuracy top5 = new TopKAccuracy(5);

  /** Adds a batch of scores (batch first) and their labels. */
  public void update(INDArray scores, int[] labels) {
    double[][] rows = TopKAccuracy.rows(scores, labels);
    for (int i = 0; i < rows.length; i++) {
      top1.update(rows[i], labels[i]);
      top5.update(rows[i], labels[i]);
    }
  }

  /** Adds one sample. */
  public void update(double[] scores, int label) {
    top1.update(scores, label);
    top5.update(scores, label);
  }

  /** Top-1 accuracy as a fraction. */
  public double top1() {
    return top1.value();
  }

  /** Top-5 accuracy as a fraction. */
  public double top5() {
    return top5.value();
  }

  /** Samples whose label is the top score. */
  public long correctTop1() {
    return top1.correct();
  }

  /** Samples whose label is among the 5 top scores. */
  public long correctTop5() {
    return top5.correct();
  }

  /** Samples seen. */
  public long total() {
    return top1.total();
  }

  /** {@code top1=99.03% top5=100.00%}: percentages with two decimals. */
  @Override
  public String toString() {
    return String.format(Locale.ROOT, "top1=%.2f%% top5=%.2f%%", 100 * top1(), 100 * top5());
  }
}
