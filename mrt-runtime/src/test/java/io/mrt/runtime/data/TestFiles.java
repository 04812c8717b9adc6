package io.mrt.runtime.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Writes small dataset files for the tests, and finds the test data directory. */
final class TestFiles {
  private TestFiles() {}

  /** The test data directory (test-fixtures, or the full data with -Pfull). */
  static Path shared() {
    return io.mrt.runtime.testutil.SharedDir.get();
  }

  /** An IDX file of unsigned bytes: magic 00 00 08 ndim, big-endian dims, data. */
  static byte[] idx(int[] dims, byte[] data) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.write(0);
    b.write(0);
    b.write(0x08);
    b.write(dims.length);
    for (int d : dims) {
      b.write(d >>> 24);
      b.write(d >>> 16);
      b.write(d >>> 8);
      b.write(d);
    }
    b.writeBytes(data);
    return b.toByteArray();
  }

  static byte[] gzip(byte[] raw) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    try (OutputStream out = new GZIPOutputStream(b)) {
      out.write(raw);
    }
    return b.toByteArray();
  }

  static Path write(Path file, byte[] bytes) throws IOException {
    Files.createDirectories(file.getParent());
    return Files.write(file, bytes);
  }

  static byte[] bytes(int... values) {
    byte[] b = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      b[i] = (byte) values[i];
    }
    return b;
  }
}
