package io.mrt.api.data;

import java.util.List;

/**
 * One split of a data set as a provider reads it: {@code labels.length} uint8 images of
 * {@code channels x height x width} pixels, each stored channel-major (CHW) in {@code pixels}, and
 * one class index per image. The host takes ownership of the arrays (they are not copied: a
 * provider must not touch them afterwards) and checks the sizes.
 *
 * @param source where the images came from (a file or folder), for messages
 * @param channels channels per image
 * @param height image height
 * @param width image width
 * @param pixels {@code labels.length * channels * height * width} bytes, each an unsigned pixel
 * @param labels the class index of each image
 * @param classNames the class names by index, or empty
 */
public record LabelledImages(String source, int channels, int height, int width, byte[] pixels, int[] labels,
    List<String> classNames) {
  /** Checks the sizes; keeps the arrays as given. */
  public LabelledImages {
    if (channels < 1 || height < 1 || width < 1) {
      throw new DatasetException(source + ": image size must be positive, found " + channels + "x" + height + "x"
          + width);
    }
    long sample = (long) channels * height * width;
    if ((long) labels.length * sample != pixels.length) {
      throw new DatasetException(source + ": " + labels.length + " labels need " + labels.length * sample
          + " pixel bytes, found " + pixels.length);
    }
    classNames = List.copyOf(classNames);
  }
}
