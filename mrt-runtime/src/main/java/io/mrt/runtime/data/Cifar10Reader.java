package io.mrt.runtime.data;

import io.mrt.runtime.InputLimits;
import io.mrt.runtime.MrtException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads CIFAR-10 binary batches ({@code data_batch_1.bin} ... {@code test_batch.bin}): records of
 * 3,073 bytes, one label byte (0 to 9) followed by the 32x32 image as 1,024 red, 1,024 green and
 * 1,024 blue bytes, row-major. The file size must be a positive multiple of the record size; it
 * bounds the allocation.
 */
public final class Cifar10Reader {
  /** Image side in pixels. */
  public static final int SIDE = 32;
  /** Channels per image (RGB). */
  public static final int CHANNELS = 3;
  /** Bytes per record: the label byte and 3x32x32 pixels. */
  public static final int RECORD = 1 + CHANNELS * SIDE * SIDE;
  /** The number of classes; a label byte outside 0..9 is an error. */
  public static final int CLASSES = 10;
  /** The class names by label. */
  public static final List<String> CLASS_NAMES = List.of("airplane", "automobile", "bird", "cat",
      "deer", "dog", "frog", "horse", "ship", "truck");

  private Cifar10Reader() {}

  /** Reads one or more batch files, concatenated in the order given. */
  public static ImageSet read(List<Path> files) {
    if (files.isEmpty()) {
      throw new IllegalArgumentException("no CIFAR-10 files given");
    }
    long total = 0;
    long[] sizes = new long[files.size()];
    for (int f = 0; f < files.size(); f++) {
      Path p = files.get(f);
      InputLimits.requireRegularFile(p, "CIFAR-10 batch file");
      try {
        sizes[f] = Files.size(p);
      } catch (NoSuchFileException e) {
        throw new MrtException(p + ": no such file");
      } catch (IOException e) {
        throw new MrtException(p + ": cannot read: " + e, e);
      }
      if (sizes[f] == 0 || sizes[f] % RECORD != 0) {
        throw new MrtException(p + ": expected a CIFAR-10 binary file whose size is a positive multiple of "
            + RECORD + " bytes (label byte + 3x32x32 pixels), found " + sizes[f] + " bytes");
      }
      total += sizes[f] / RECORD;
    }
    long pixelBytes = total * (RECORD - 1);
    if (pixelBytes > IdxReader.MAX_BYTES) {
      throw new MrtException(files.get(0) + ": " + total + " CIFAR-10 records need " + pixelBytes
          + " bytes, more than the limit of " + IdxReader.MAX_BYTES);
    }
    int n = (int) total;
    byte[] pixels = new byte[(int) pixelBytes];
    int[] labels = new int[n];
    byte[] record = new byte[RECORD];
    int i = 0;
    for (int f = 0; f < files.size(); f++) {
      Path p = files.get(f);
      try (InputStream in = new BufferedInputStream(Files.newInputStream(p), 1 << 16)) {
        long records = sizes[f] / RECORD;
        for (long r = 0; r < records; r++, i++) {
          int got = IdxReader.readUpTo(in, record, 0, RECORD);
          if (got < RECORD) {
            throw new MrtException(p + ": record " + r + " is truncated: expected " + RECORD
                + " bytes, found " + got + " (the file changed while being read)");
          }
          int label = record[0] & 0xFF;
          if (label >= CLASSES) {
            throw new MrtException(p + ": record " + r + ": expected a label 0 to 9, found " + label);
          }
          labels[i] = label;
          System.arraycopy(record, 1, pixels, i * (RECORD - 1), RECORD - 1);
        }
      } catch (IOException e) {
        throw new MrtException(p + ": cannot read: " + e, e);
      }
    }
    String source = files.size() == 1 ? files.get(0).toString() : files.get(0) + " (+" + (files.size() - 1) + " files)";
    return new ImageSet(source, CHANNELS, SIDE, SIDE, pixels, labels, CLASS_NAMES);
  }

  /** Reads one batch file. */
  public static ImageSet read(Path file) {
    return read(List.of(file));
  }
}
