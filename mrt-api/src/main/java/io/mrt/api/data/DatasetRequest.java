package io.mrt.api.data;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * What a stage asks of a data set.
 *
 * @param dir the data set's folder (CALIBRATE.DATASET_DIR, else {@code ~/.mxnet/datasets/<name>});
 *     it exists and is a folder unless the provider reads no files ({@link DatasetProvider#readsFiles()})
 * @param split the split to read
 * @param inputShape the model's input shape with the batch axis first, -1 there (PREPARE.INPUT_SHAPE),
 *     e.g. {@code [-1, 3, 224, 224]}
 * @param channelsLast true for NHWC (CALIBRATE.LAYOUT nhwc), false for NCHW; images are always
 *     returned channel-major (CHW) and laid out by the host
 * @param limit the most samples the stage will use; a provider whose format allows reading a prefix
 *     may stop there, others may return more (the host uses the first {@code limit})
 */
public record DatasetRequest(Path dir, DatasetSplit split, long[] inputShape, boolean channelsLast, int limit) {
  /** Copies the shape. */
  public DatasetRequest {
    inputShape = inputShape.clone();
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be positive, found " + limit);
    }
  }

  @Override
  public long[] inputShape() {
    return inputShape.clone();
  }

  /** Channels, height and width the input shape asks for (rank 4 only), in that order. */
  public int[] imageSize() {
    if (inputShape.length != 4) {
      throw new DatasetException("needs a rank-4 input shape to size the images, found "
          + Arrays.toString(inputShape));
    }
    return channelsLast
        ? new int[] {(int) inputShape[3], (int) inputShape[1], (int) inputShape[2]}
        : new int[] {(int) inputShape[1], (int) inputShape[2], (int) inputShape[3]};
  }

  @Override
  public String toString() {
    return "DatasetRequest[dir=" + dir + ", split=" + split + ", inputShape=" + Arrays.toString(inputShape)
        + ", channelsLast=" + channelsLast + ", limit=" + limit + "]";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DatasetRequest r && dir.equals(r.dir) && split == r.split
        && Arrays.equals(inputShape, r.inputShape) && channelsLast == r.channelsLast && limit == r.limit;
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(dir, split, Arrays.hashCode(inputShape), channelsLast, limit);
  }
}
