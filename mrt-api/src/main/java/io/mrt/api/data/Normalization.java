package io.mrt.api.data;

import java.util.Arrays;

/**
 * The pixel normalisation a data set implies when the config sets none of CALIBRATE.SCALE, MEAN
 * and STD: {@code x = (pixel * scale - mean[c]) / std[c]} per channel c (one value: every channel).
 */
public record Normalization(double scale, double[] mean, double[] std) {
  /** Copies the arrays. */
  public Normalization {
    mean = mean.clone();
    std = std.clone();
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
  public boolean equals(Object o) {
    return o instanceof Normalization n && Double.compare(scale, n.scale) == 0 && Arrays.equals(mean, n.mean)
        && Arrays.equals(std, n.std);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * Double.hashCode(scale) + Arrays.hashCode(mean)) + Arrays.hashCode(std);
  }

  @Override
  public String toString() {
    return "Normalization[scale=" + scale + ", mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std) + "]";
  }
}
