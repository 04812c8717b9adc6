package io.mrt.runtime.io.npy;

import io.mrt.runtime.MrtException;
import io.mrt.runtime.io.AtomicFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes {@code .npy} files, format version 1.0, C order, little-endian: int8 ({@code |i1}), int32
 * ({@code <i4}) and float32 ({@code <f4}), byte for byte as numpy's {@code np.save} writes them. {@link #write} is atomic: it writes a temporary file next
 * to the target and renames it, so a failure leaves nothing behind.
 */
public final class NpyWriter {
  private NpyWriter() {
  }

  /** Writes {@code array} to {@code file} atomically (temporary name, then rename). */
  public static void write(Path file, NpyArray array) {
    Path abs = file.toAbsolutePath();
    Path dir = abs.getParent();
    Path tmp = null;
    try {
      if (dir != null) {
        Files.createDirectories(dir);
      }
      AtomicFiles.removeStale(abs);
      tmp = AtomicFiles.createTemp(abs);
      try (OutputStream out = Files.newOutputStream(tmp)) {
        write(out, array);
      }
      Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      tmp = null;
    } catch (IOException e) {
      throw new MrtException(file + ": cannot write .npy file: " + e.getMessage(), e);
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // the original error is the one to report
        }
      }
    }
  }

  /** The bytes of {@code array} as a .npy file. */
  public static byte[] toBytes(NpyArray array) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      write(out, array);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return out.toByteArray();
  }

  /** Writes {@code array} as a .npy stream. Only int8, int32 and float32 arrays are written. */
  public static void write(OutputStream out, NpyArray array) throws IOException {
    NpyDtype dtype = array.dtype();
    if (dtype != NpyDtype.INT8 && dtype != NpyDtype.INT32 && dtype != NpyDtype.FLOAT32) {
      throw new IllegalArgumentException("cannot write a " + dtype + " .npy file (int8, int32, float32 only)");
    }
    long[] shape = array.shape();
    StringBuilder sh = new StringBuilder("(");
    for (int i = 0; i < shape.length; i++) {
      sh.append(shape[i]);
      if (shape.length == 1 || i < shape.length - 1) {
        sh.append(shape.length == 1 ? "," : ", ");
      }
    }
    sh.append(')');
    String dict = "{'descr': '" + dtype.descr() + "', 'fortran_order': False, 'shape': " + sh + ", }";
    if (shape.length > 0) {
      // numpy leaves room to grow the first dimension in place (GROWTH_AXIS_MAX_DIGITS = 21)
      dict += " ".repeat(Math.max(0, 21 - Long.toString(shape[0]).length()));
    }
    int unpadded = 10 + dict.length() + 1;
    int pad = (64 - unpadded % 64) % 64;
    StringBuilder header = new StringBuilder(dict);
    header.append(" ".repeat(pad)).append('\n');
    byte[] hb = header.toString().getBytes(StandardCharsets.ISO_8859_1);
    ByteBuffer pre = ByteBuffer.allocate(10).order(ByteOrder.LITTLE_ENDIAN);
    pre.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.ISO_8859_1)).put((byte) 1).put((byte) 0);
    pre.putShort((short) hb.length);
    out.write(pre.array());
    out.write(hb);
    int n = array.size();
    if (dtype == NpyDtype.INT8) {
      int[] v = array.ints();
      byte[] data = new byte[n];
      for (int i = 0; i < n; i++) {
        data[i] = (byte) v[i];
      }
      out.write(data);
      return;
    }
    final int chunk = 1 << 14;
    ByteBuffer bb = ByteBuffer.allocate(chunk * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (int start = 0; start < n; start += chunk) {
      int end = Math.min(n, start + chunk);
      bb.clear();
      if (dtype == NpyDtype.INT32) {
        bb.asIntBuffer().put(array.ints(), start, end - start);
      } else {
        bb.asFloatBuffer().put(array.floats(), start, end - start);
      }
      out.write(bb.array(), 0, (end - start) * 4);
    }
  }
}
