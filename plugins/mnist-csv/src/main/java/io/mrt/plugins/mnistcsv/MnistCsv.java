package io.mrt.plugins.mnistcsv;

import io.mrt.api.data.DatasetException;
import io.mrt.api.data.DatasetMetric;
import io.mrt.api.data.DatasetProvider;
import io.mrt.api.data.DatasetRequest;
import io.mrt.api.data.DatasetSplit;
import io.mrt.api.data.LabelledImages;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * {@code DATASET_NAME: mnist_csv}: the MNIST digits in the CSV form that is widely shared as
 * {@code mnist_test.csv} and {@code mnist_train.csv}. One image per line: the label (a class index
 * {@code >= 0}), then the {@code C x H x W} pixels (0..255, channel-major then row-major, as the
 * input shape asks: 784 for {@code [-1, 1, 28, 28]}), comma-separated. A first line that does not
 * start with a number (Kaggle's {@code label,pixel0,...} header) is skipped, and so are blank lines.
 * The reader stops after the number of images the stage needs. Its own metric is
 * {@link BalancedTop1}, top-1 averaged over the digits.
 */
public final class MnistCsv implements DatasetProvider {
  /** The largest number of values a line may hold (a 3 x 224 x 224 image and its label). */
  static final int MAX_VALUES = 3 * 224 * 224 + 1;

  @Override
  public String name() {
    return "mnist_csv";
  }

  @Override
  public String layout(DatasetSplit split) {
    return file(split) + ": per line a label then the C*H*W pixels 0..255, comma-separated (an optional header line)";
  }

  private static String file(DatasetSplit split) {
    return split == DatasetSplit.TEST ? "mnist_test.csv" : "mnist_train.csv";
  }

  /** Its own metric: {@link BalancedTop1}. */
  @Override
  public Optional<DatasetMetric> newMetric() {
    return Optional.of(new BalancedTop1());
  }

  @Override
  public LabelledImages open(DatasetRequest request) {
    int[] chw = request.imageSize();
    int sample = chw[0] * chw[1] * chw[2];
    if (sample + 1 > MAX_VALUES) {
      throw new DatasetException("images of " + chw[0] + "x" + chw[1] + "x" + chw[2] + " are larger than this reader's "
          + "limit of " + (MAX_VALUES - 1) + " pixels");
    }
    Path file = request.dir().resolve(file(request.split()));
    if (!Files.isRegularFile(file)) {
      throw new DatasetException(request.dir() + ": expected the file " + file.getFileName() + ", found none");
    }
    byte[] pixels = new byte[sample * 64];
    int[] labels = new int[64];
    int count = 0;
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.US_ASCII)) {
      String line;
      int lineNo = 0;
      while (count < request.limit() && (line = in.readLine()) != null) {
        lineNo++;
        String t = line.strip();
        if (t.isEmpty() || (lineNo == 1 && !Character.isDigit(t.charAt(0)))) {
          continue;
        }
        String[] fields = t.split(",", MAX_VALUES + 1);
        if (fields.length != sample + 1) {
          throw new DatasetException(file + ": line " + lineNo + ": expected 1 label and " + sample + " pixels ("
              + chw[0] + "x" + chw[1] + "x" + chw[2] + " from the input shape), found " + fields.length + " values");
        }
        if (count == labels.length) {
          labels = Arrays.copyOf(labels, 2 * count);
          pixels = Arrays.copyOf(pixels, Math.multiplyExact(2 * count, sample));
        }
        labels[count] = value(fields[0], file, lineNo, "the label", Integer.MAX_VALUE);
        for (int i = 0; i < sample; i++) {
          pixels[count * sample + i] = (byte) value(fields[i + 1], file, lineNo, "pixel " + i, 255);
        }
        count++;
      }
    } catch (IOException e) {
      throw new DatasetException(file + ": cannot be read: " + e.getMessage(), e);
    } catch (UncheckedIOException e) {
      throw new DatasetException(file + ": cannot be read: " + e.getCause().getMessage(), e);
    }
    if (count == 0) {
      throw new DatasetException(file + ": expected at least one image line, found none");
    }
    return new LabelledImages(file.toString(), chw[0], chw[1], chw[2], Arrays.copyOf(pixels, count * sample),
        Arrays.copyOf(labels, count), List.of());
  }

  private static int value(String field, Path file, int line, String what, int max) {
    String s = field.strip();
    int v;
    try {
      v = Integer.parseInt(s);
    } catch (NumberFormatException e) {
      throw new DatasetException(file + ": line " + line + ": " + what + " is '" + abbreviate(s)
          + "', expected an integer 0.." + max);
    }
    if (v < 0 || v > max) {
      throw new DatasetException(file + ": line " + line + ": " + what + " is " + v + ", expected 0.." + max);
    }
    return v;
  }

  private static String abbreviate(String s) {
    return s.length() <= 20 ? s : s.substring(0, 20) + "...";
  }
}
