package io.mrt.api.data;

/**
 * A data set's own figure of merit, reported by evaluate next to top-1 and top-5 for the float and
 * the quantized model. {@link DatasetProvider#newMetric()} makes one instance per model; the host
 * calls {@link #update} once per image, in order, from one thread.
 */
public interface DatasetMetric {
  /** The name printed in the results, e.g. {@code balanced_top1}. */
  String name();

  /** Adds one image: the model's score per class and the image's label. */
  void update(double[] scores, int label);

  /** The value over the images so far, as a fraction (printed as a percentage). */
  double value();
}
