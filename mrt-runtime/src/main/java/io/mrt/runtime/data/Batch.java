package io.mrt.runtime.data;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One batch: the preprocessed float32 inputs, the labels, and the index in the dataset of its first
 * sample. The last batch of a dataset may be smaller than the batch size.
 */
public final class Batch {
  private final INDArray data;
  private final int[] labels;
  private final int offset;

  /** A batch; the labels are copied. */
  public Batch(INDArray data, int[] labels, int offset) {
    if (data.size(0) != labels.length) {
      throw new IllegalArgumentException("batch of " + data.size(0) + " samples with " + labels.length + " labels");
    }
    this.data = data;
    this.labels = labels.clone();
    this.offset = offset;
  }

  /** The inputs, batch first. */
  public INDArray data() {
    return data;
  }

  /** The labels (a copy). */
  public int[] labels() {
    return labels.clone();
  }

  /** The label of sample {@code i} of this batch. */
  public int label(int i) {
    return labels[i];
  }

  /** The number of samples. */
  public int size() {
    return labels.length;
  }

  /** The dataset index of the first sample. */
  public int offset() {
    return offset;
  }
}
