package io.mrt.api.data;

import java.util.List;
import java.util.Optional;

/**
 * A data set MRT can calibrate and evaluate on, chosen by CALIBRATE.DATASET_NAME. Implementations
 * have a public no-argument constructor and are listed in
 * {@code META-INF/services/io.mrt.api.data.DatasetProvider} of their jar (the built-in data sets on
 * the class path, others in a plugin jar). Names are compared in lower case with {@code -} read as
 * {@code _}; two providers of one name (or alias) are an error naming both.
 *
 * <p>The images a provider returns are classified: evaluation reports top-1 and top-5 accuracy of
 * the float and the quantized model, their top-1 agreement, and the provider's own
 * {@link DatasetMetric} if it has one.
 */
public interface DatasetProvider {
  /** The DATASET_NAME, lower case, e.g. {@code mnist}. */
  String name();

  /** Other names the same data set answers to (lower case), e.g. {@code imagefolder}. */
  default List<String> aliases() {
    return List.of();
  }

  /** The files the provider reads below DATASET_DIR for a split, for messages and {@code mrt plugins}. */
  String layout(DatasetSplit split);

  /** False for a generated data set that reads no files (DATASET_DIR need not exist). */
  default boolean readsFiles() {
    return true;
  }

  /** The normalisation the data set implies when the config sets none; empty: the config's (or 1/255). */
  default Optional<Normalization> normalization() {
    return Optional.empty();
  }

  /** A fresh instance of the data set's own metric (one per evaluated model); empty: none. */
  default Optional<DatasetMetric> newMetric() {
    return Optional.empty();
  }

  /**
   * Reads a split. A missing or malformed file is a {@link DatasetException} naming the file, what
   * was expected and what was found.
   */
  LabelledImages open(DatasetRequest request);
}
