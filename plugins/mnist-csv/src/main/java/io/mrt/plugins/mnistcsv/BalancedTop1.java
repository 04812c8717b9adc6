package io.mrt.plugins.mnistcsv;

import io.mrt.api.data.DatasetMetric;
import java.util.Arrays;

/**
 * {@code balanced_top1}: top-1 accuracy averaged over the classes, so that every digit counts the
 * same however many images it has: {@code (1 / |C|) * sum over c in C of correct(c) / images(c)},
 * where C is the set of labels seen, {@code images(c)} the images labelled c and {@code correct(c)}
 * those of them whose largest score (the first one on a tie) is c. 0 before any image.
 */
public final class BalancedTop1 implements DatasetMetric {
  private long[] images = new long[10];
  private long[] correct = new long[10];

  @Override
  public String name() {
    return "balanced_top1";
  }

  @Override
  public void update(double[] scores, int label) {
    if (label >= images.length) {
      int n = Math.max(label + 1, 2 * images.length);
      images = Arrays.copyOf(images, n);
      correct = Arrays.copyOf(correct, n);
    }
    int best = 0;
    for (int i = 1; i < scores.length; i++) {
      if (scores[i] > scores[best]) {
        best = i;
      }
    }
    images[label]++;
    if (best == label) {
      correct[label]++;
    }
  }

  @Override
  public double value() {
    double sum = 0;
    int classes = 0;
    for (int c = 0; c < images.length; c++) {
      if (images[c] > 0) {
        sum += (double) correct[c] / images[c];
        classes++;
      }
    }
    return classes == 0 ? 0 : sum / classes;
  }
}
