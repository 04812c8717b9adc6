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
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads IDX files, the format of MNIST and Fashion-MNIST, raw or gzipped (recognised by the gzip
 * magic bytes, not by the file name). An IDX file is a 4-byte magic {@code 0x00 0x00 type ndim},
 * {@code ndim} big-endian u32 dimensions, then the data row-major. Only type {@code 0x08}
 * (unsigned byte) is supported, the type of every MNIST-like file. Sizes are checked against
 * {@link #MAX_BYTES} (and, for a raw file, against the file size) before anything is allocated; a
 * short or over-long file is an error.
 */
public final class IdxReader {
  /** The largest data block read from one file: 512 MiB (MNIST's training images are 45 MiB). */
  public static final long MAX_BYTES = 512L << 20;
  /** The largest number of dimensions accepted. */
  public static final int MAX_DIMS = 4;
  private static final int TYPE_UBYTE = 0x08;

  private IdxReader() {}

  /** The dimensions and uint8 data of one IDX file (the arrays are the reader's own). */
  record IdxArray(Path path, int[] dims, byte[] data) {
    /** Dimension {@code i}. */
    int dim(int i) {
      return dims[i];
    }
  }

  /** Reads one IDX file of unsigned bytes. */
  static IdxArray read(Path path) {
    if (!Files.exists(path)) {
      throw new MrtException(path + ": no such file");
    }
    InputLimits.requireRegularFile(path, "IDX file");
    try (InputStream file = new BufferedInputStream(Files.newInputStream(path), 1 << 16)) {
      file.mark(2);
      boolean gzipped = file.read() == 0x1f && file.read() == 0x8b;
      file.reset();
      InputStream in = gzipped ? new GZIPInputStream(file, 1 << 16) : file;
      byte[] magic = new byte[4];
      int got = readUpTo(in, magic, 0, 4);
      if (got < 4) {
        throw new MrtException(path + ": truncated IDX header: expected 4 magic bytes, found " + got);
      }
      if (magic[0] != 0 || magic[1] != 0) {
        throw new MrtException(String.format(
            "%s: not an IDX file: expected magic bytes 00 00 <type> <ndim>, found %02x %02x %02x %02x",
            path, magic[0], magic[1], magic[2], magic[3]));
      }
      int type = magic[2] & 0xFF;
      int ndim = magic[3] & 0xFF;
      if (type != TYPE_UBYTE) {
        throw new MrtException(String.format(
            "%s: IDX data type 0x%02x is not supported: expected 0x08 (unsigned byte)", path, type));
      }
      if (ndim < 1 || ndim > MAX_DIMS) {
        throw new MrtException(path + ": IDX rank must be 1 to " + MAX_DIMS + ", found " + ndim);
      }
      byte[] dimBytes = new byte[4 * ndim];
      got = readUpTo(in, dimBytes, 0, dimBytes.length);
      if (got < dimBytes.length) {
        throw new MrtException(path + ": truncated IDX header: expected " + ndim
            + " dimensions (" + dimBytes.length + " bytes), found " + got + " bytes");
      }
      int[] dims = new int[ndim];
      long total = 1;
      for (int i = 0; i < ndim; i++) {
        long d = ((dimBytes[4 * i] & 0xFFL) << 24) | ((dimBytes[4 * i + 1] & 0xFFL) << 16)
            | ((dimBytes[4 * i + 2] & 0xFFL) << 8) | (dimBytes[4 * i + 3] & 0xFFL);
        if (d > MAX_BYTES) {
          throw new MrtException(path + ": IDX dimension " + i + " is " + d
              + ", more than the limit of " + MAX_BYTES + " bytes");
        }
        dims[i] = (int) d;
        total *= d;
        if (total > MAX_BYTES) {
          throw new MrtException(path + ": IDX dimensions " + dimsText(dimBytes, ndim)
              + " need more than the limit of " + MAX_BYTES + " bytes");
        }
      }
      if (!gzipped) {
        long expected = 4L + 4L * ndim + total;
        long size = Files.size(path);
        if (size != expected) {
          throw new MrtException(path + ": IDX dimensions " + dimsText(dimBytes, ndim)
              + " need a file of " + expected + " bytes, found " + size + " bytes");
        }
      }
      byte[] data = new byte[(int) total];
      got = readUpTo(in, data, 0, data.length);
      if (got < data.length) {
        throw new MrtException(path + ": truncated IDX data: dimensions " + dimsText(dimBytes, ndim)
            + " need " + total + " bytes, found " + got);
      }
      if (in.read() != -1) {
        throw new MrtException(path + ": IDX data longer than its dimensions "
            + dimsText(dimBytes, ndim) + " declare (" + total + " bytes)");
      }
      return new IdxArray(path, dims, data);
    } catch (NoSuchFileException e) {
      throw new MrtException(path + ": no such file");
    } catch (ZipException e) {
      throw new MrtException(path + ": corrupt gzip data: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new MrtException(path + ": cannot read: " + e, e);
    }
  }

  /**
   * Reads a pair of IDX files: images ({@code N x H x W}, or {@code N x C x H x W}) and labels
   * ({@code N}), which must agree on {@code N}.
   */
  public static ImageSet readImageSet(Path images, Path labels) {
    IdxArray img = read(images);
    IdxArray lab = read(labels);
    int[] d = img.dims();
    if (d.length != 3 && d.length != 4) {
      throw new MrtException(images + ": expected IDX images of rank 3 (N, rows, columns) or 4 (N, C, rows, "
          + "columns), found rank " + d.length);
    }
    if (lab.dims().length != 1) {
      throw new MrtException(labels + ": expected IDX labels of rank 1 (N), found rank " + lab.dims().length);
    }
    int n = d[0];
    if (lab.dim(0) != n) {
      throw new MrtException(labels + ": expected " + n + " labels (the image count of " + images
          + "), found " + lab.dim(0));
    }
    if (n == 0) {
      throw new MrtException(images + ": holds no images");
    }
    int c = d.length == 4 ? d[1] : 1;
    int h = d[d.length - 2];
    int w = d[d.length - 1];
    if (c == 0 || h == 0 || w == 0) {
      throw new MrtException(images + ": image size must be positive, found " + c + "x" + h + "x" + w);
    }
    int[] ls = new int[n];
    for (int i = 0; i < n; i++) {
      ls[i] = lab.data()[i] & 0xFF;
    }
    return new ImageSet(images.toString(), c, h, w, img.data(), ls, List.of());
  }

  private static String dimsText(byte[] dimBytes, int ndim) {
    StringBuilder b = new StringBuilder("(");
    for (int i = 0; i < ndim; i++) {
      long d = ((dimBytes[4 * i] & 0xFFL) << 24) | ((dimBytes[4 * i + 1] & 0xFFL) << 16)
          | ((dimBytes[4 * i + 2] & 0xFFL) << 8) | (dimBytes[4 * i + 3] & 0xFFL);
      b.append(i > 0 ? ", " : "").append(d);
    }
    return b.append(')').toString();
  }

  /** Reads until {@code len} bytes or the end of the stream; returns the count read. */
  static int readUpTo(InputStream in, byte[] buf, int off, int len) throws IOException {
    int total = 0;
    while (total < len) {
      int r = in.read(buf, off + total, len - total);
      if (r < 0) {
        break;
      }
      total += r;
    }
    return total;
  }
}
