package io.mrt.runtime.data;

import java.util.Arrays;
import java.util.List;

/**
 * A labelled set of uint8 images of one size, as read from a dataset file: {@code count} images of
 * {@code channels x height x width} pixels, stored per image channel-major (CHW, the layout of
 * CIFAR-10's binary files), with one int label per image. Immutable.
 */
public final class ImageSet {
  private final String source;
  private final int count;
  private final int channels;
  private final int height;
  private final int width;
  private final byte[] pixels;
  private final int[] labels;
  private final List<String> classNames;

  /** Takes ownership of the arrays (callers in this package never touch them again). */
  ImageSet(String source, int channels, int height, int width, byte[] pixels, int[] labels,
      List<String> classNames) {
    if (channels < 1 || height < 1 || width < 1) {
      throw new IllegalArgumentException(source + ": image size must be positive, found "
          + channels + "x" + height + "x" + width);
    }
    long sample = (long) channels * height * width;
    if ((long) labels.length * sample != pixels.length) {
      throw new IllegalArgumentException(source + ": " + labels.length + " labels need "
          + labels.length * sample + " pixel bytes, found " + pixels.length);
    }
    this.source = source;
    this.count = labels.length;
    this.channels = channels;
    this.height = height;
    this.width = width;
    this.pixels = pixels;
    this.labels = labels;
    this.classNames = List.copyOf(classNames);
  }

  /**
   * An image set from arrays (copied): {@code pixels} holds {@code labels.length} images, each
   * channel-major (CHW).
   */
  public static ImageSet of(String source, int channels, int height, int width, byte[] pixels,
      int[] labels) {
    return new ImageSet(source, channels, height, width, pixels.clone(), labels.clone(), List.of());
  }

  /** Where the images came from (a file or folder), for messages. */
  public String source() {
    return source;
  }

  /** The number of images. */
  public int count() {
    return count;
  }

  /** Channels per image (1 for MNIST, 3 for CIFAR-10). */
  public int channels() {
    return channels;
  }

  /** Image height in pixels. */
  public int height() {
    return height;
  }

  /** Image width in pixels. */
  public int width() {
    return width;
  }

  /** Bytes per image: channels x height x width. */
  public int sampleSize() {
    return channels * height * width;
  }

  /** The label of image {@code i}. */
  public int label(int i) {
    return labels[checkIndex(i)];
  }

  /** All labels, in file order (a copy). */
  public int[] labels() {
    return labels.clone();
  }

  /** Pixel value 0..255 of image {@code i} at channel {@code c}, row {@code y}, column {@code x}. */
  public int pixel(int i, int c, int y, int x) {
    checkIndex(i);
    if (c < 0 || c >= channels || y < 0 || y >= height || x < 0 || x >= width) {
      throw new IndexOutOfBoundsException("pixel (" + c + ", " + y + ", " + x + ") outside "
          + channels + "x" + height + "x" + width);
    }
    return pixels[i * sampleSize() + (c * height + y) * width + x] & 0xFF;
  }

  /** Copies image {@code i} (CHW, unsigned bytes) into {@code dst} from {@code offset}. */
  public void copyImage(int i, byte[] dst, int offset) {
    checkIndex(i);
    System.arraycopy(pixels, i * sampleSize(), dst, offset, sampleSize());
  }

  /** The class names by label, when the dataset has them (an image folder); else empty. */
  public List<String> classNames() {
    return classNames;
  }

  /** The number of classes: the class names if known, else the largest label plus one. */
  public int numClasses() {
    if (!classNames.isEmpty()) {
      return classNames.size();
    }
    return Arrays.stream(labels).max().orElse(-1) + 1;
  }

  /** How many images carry each label, indexed by label. */
  public int[] labelCounts() {
    int[] counts = new int[Math.max(numClasses(), 0)];
    for (int l : labels) {
      counts[l]++;
    }
    return counts;
  }

  /** The pixel array itself (not a copy), for handing the set on without copying it. */
  byte[] pixelsUnsafe() {
    return pixels;
  }

  /** The label array itself (not a copy). */
  int[] labelsUnsafe() {
    return labels;
  }

  /** The images {@code from} (inclusive) to {@code to} (exclusive), copied. */
  public ImageSet slice(int from, int to) {
    if (from < 0 || to > count || from > to) {
      throw new IndexOutOfBoundsException("slice [" + from + ", " + to + ") of " + count + " images");
    }
    int s = sampleSize();
    return new ImageSet(source + "[" + from + ":" + to + "]", channels, height, width,
        Arrays.copyOfRange(pixels, from * s, to * s), Arrays.copyOfRange(labels, from, to), classNames);
  }

  private int checkIndex(int i) {
    if (i < 0 || i >= count) {
      throw new IndexOutOfBoundsException("image " + i + " of " + count + " in " + source);
    }
    return i;
  }

  @Override
  public String toString() {
    return source + ": " + count + " images " + channels + "x" + height + "x" + width;
  }
}
