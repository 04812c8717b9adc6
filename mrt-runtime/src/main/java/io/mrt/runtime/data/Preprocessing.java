package io.mrt.runtime.data;

import io.mrt.runtime.MrtException;
import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * How raw uint8 pixels {@code p} become a model's float32 input: per channel {@code c},
 * {@code x = (p * scale - mean[c]) / std[c]}, computed in float32, laid out as {@code layout} in a
 * tensor of {@code inputShape} whose first dimension (the batch, written -1) is replaced by the
 * batch size.
 *
 * <p>{@code mean} and {@code std} hold one value for every channel, or a single value for all.
 * {@code inputShape} has rank 2 or more: at rank 4 its dimensions must be the images' (C, H, W) for
 * NCHW or (H, W, C) for NHWC; at any other rank (for example (-1, 784) for an MLP) the sample's
 * values are flattened in the layout's order and the dimensions must hold exactly that many. For
 * MNIST models {@code new Preprocessing(1 / 255.0, {0}, {1}, NCHW, {-1, 1, 28, 28})} gives x/255.
 *
 * @param scale multiplies each pixel value 0..255 first (1/255 gives values in [0, 1])
 * @param mean subtracted after scaling, per channel (or one for all)
 * @param std divides after the mean is subtracted, per channel (or one for all); never 0
 * @param layout the axis order of the batch tensor
 * @param inputShape the model input shape, batch first as -1 (or a fixed batch size)
 */
public record Preprocessing(double scale, double[] mean, double[] std, Layout layout, long[] inputShape) {

  /** Checks the values and copies the arrays. */
  public Preprocessing {
    if (!Double.isFinite(scale) || scale == 0) {
      throw new MrtException("preprocessing scale: expected a finite non-zero number, found " + scale);
    }
    mean = mean.clone();
    std = std.clone();
    inputShape = inputShape.clone();
    if (mean.length == 0 || std.length == 0) {
      throw new MrtException("preprocessing mean and std: expected at least one value each, found "
          + mean.length + " and " + std.length);
    }
    for (double s : std) {
      if (!Double.isFinite(s) || s == 0) {
        throw new MrtException("preprocessing std: expected finite non-zero values, found " + Arrays.toString(std));
      }
    }
    for (double m : mean) {
      if (!Double.isFinite(m)) {
        throw new MrtException("preprocessing mean: expected finite values, found " + Arrays.toString(mean));
      }
    }
    if (inputShape.length < 2) {
      throw new MrtException("input shape: expected the batch dimension and at least one more, found "
          + Arrays.toString(inputShape));
    }
    if (inputShape[0] != -1 && inputShape[0] < 1) {
      throw new MrtException("input shape: the batch dimension must be -1 or positive, found " + Arrays.toString(inputShape));
    }
    for (int i = 1; i < inputShape.length; i++) {
      if (inputShape[i] < 1) {
        throw new MrtException("input shape: expected positive dimensions after the batch, found "
            + Arrays.toString(inputShape));
      }
    }
    if (layout == null) {
      throw new MrtException("preprocessing layout: expected NCHW or NHWC, found none");
    }
  }

  /** x/255 (scale 1/255, mean 0, std 1) in NCHW with the given input shape: MNIST models. */
  public static Preprocessing divideBy255(long... inputShape) {
    return new Preprocessing(1 / 255.0, new double[] {0}, new double[] {1}, Layout.NCHW, inputShape);
  }

  @Override
  public double[] mean() {
    return mean.clone();
  }

  @Override
  public double[] std() {
    return std.clone();
  }

  @Override
  public long[] inputShape() {
    return inputShape.clone();
  }

  /** The input shape with the batch dimension set to {@code batch}. */
  public long[] batchShape(int batch) {
    long[] s = inputShape.clone();
    s[0] = batch;
    return s;
  }

  /** Checks that images of this set fit the input shape and the mean/std channel counts. */
  public void check(ImageSet set) {
    int c = set.channels();
    if (mean.length != 1 && mean.length != c) {
      throw new MrtException("preprocessing mean: expected 1 or " + c + " values (the channels of "
          + set.source() + "), found " + mean.length);
    }
    if (std.length != 1 && std.length != c) {
      throw new MrtException("preprocessing std: expected 1 or " + c + " values (the channels of "
          + set.source() + "), found " + std.length);
    }
    long[] expected = layout == Layout.NCHW
        ? new long[] {c, set.height(), set.width()}
        : new long[] {set.height(), set.width(), c};
    long[] sample = Arrays.copyOfRange(inputShape, 1, inputShape.length);
    if (inputShape.length == 4) {
      if (!Arrays.equals(sample, expected)) {
        throw new MrtException("input shape " + Arrays.toString(inputShape) + ": expected " + layout
            + " sample dimensions " + Arrays.toString(expected) + " (the images of " + set.source() + ")");
      }
    } else {
      long n = 1;
      for (long d : sample) {
        n *= d;
      }
      if (n != set.sampleSize()) {
        throw new MrtException("input shape " + Arrays.toString(inputShape) + ": holds " + n
            + " values per sample, but the images of " + set.source() + " have " + set.sampleSize()
            + " (" + c + "x" + set.height() + "x" + set.width() + ")");
      }
    }
  }

  /**
   * Writes images {@code from .. from+count-1} of {@code set}, preprocessed, into {@code dst} from
   * index 0, each sample in the layout's order. {@code dst} needs {@code count * sampleSize}
   * values. Call {@link #check} once first.
   */
  public void fill(ImageSet set, int from, int count, float[] dst) {
    int[] indices = new int[count];
    for (int i = 0; i < count; i++) {
      indices[i] = from + i;
    }
    fill(set, indices, dst);
  }

  /**
   * Writes the images {@code indices} of {@code set} (in that order, for example a shuffled
   * training batch), preprocessed, into {@code dst} from index 0. Call {@link #check} once first.
   */
  public void fill(ImageSet set, int[] indices, float[] dst) {
    int c = set.channels();
    int hw = set.height() * set.width();
    int sample = set.sampleSize();
    if (dst.length < (long) indices.length * sample) {
      throw new IllegalArgumentException("need " + (long) indices.length * sample + " floats, found " + dst.length);
    }
    float s = (float) scale;
    float[] m = new float[c];
    float[] d = new float[c];
    for (int k = 0; k < c; k++) {
      m[k] = (float) (mean.length == 1 ? mean[0] : mean[k]);
      d[k] = (float) (std.length == 1 ? std[0] : std[k]);
    }
    byte[] img = new byte[sample];
    for (int i = 0; i < indices.length; i++) {
      set.copyImage(indices[i], img, 0);
      int base = i * sample;
      for (int ch = 0; ch < c; ch++) {
        for (int p = 0; p < hw; p++) {
          float v = ((img[ch * hw + p] & 0xFF) * s - m[ch]) / d[ch];
          int at = layout == Layout.NCHW ? ch * hw + p : p * c + ch;
          dst[base + at] = v;
        }
      }
    }
  }

  /** Images {@code from .. from+count-1}, preprocessed, as a float32 tensor of {@link #batchShape}. */
  public INDArray batch(ImageSet set, int from, int count) {
    check(set);
    float[] values = new float[count * set.sampleSize()];
    fill(set, from, count, values);
    return Nd4j.create(values, batchShape(count), 'c');
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Preprocessing p && p.scale == scale && Arrays.equals(p.mean, mean)
        && Arrays.equals(p.std, std) && p.layout == layout && Arrays.equals(p.inputShape, inputShape);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(new Object[] {scale, Arrays.hashCode(mean), Arrays.hashCode(std), layout,
        Arrays.hashCode(inputShape)});
  }

  @Override
  public String toString() {
    return "Preprocessing[scale=" + scale + ", mean=" + Arrays.toString(mean) + ", std="
        + Arrays.toString(std) + ", layout=" + layout + ", inputShape=" + Arrays.toString(inputShape) + "]";
  }
}
