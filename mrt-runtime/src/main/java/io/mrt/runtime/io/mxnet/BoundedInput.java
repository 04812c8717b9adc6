package io.mrt.runtime.io.mxnet;

import io.mrt.runtime.MrtException;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Little-endian reads from a file that know the file's length: every read and every size is
 * checked against the bytes that remain before anything is allocated, and every error names the
 * file and the byte offset.
 */
final class BoundedInput implements Closeable {
  private static final int WINDOW = 1 << 16;
  private final Path path;
  private final FileChannel channel;
  private final long size;
  private final ByteBuffer window = ByteBuffer.allocate(WINDOW).order(ByteOrder.LITTLE_ENDIAN);
  private long windowStart;
  private long pos;

  BoundedInput(Path path) throws IOException {
    this.path = path;
    this.channel = FileChannel.open(path, StandardOpenOption.READ);
    this.size = channel.size();
    window.limit(0);
  }

  Path path() {
    return path;
  }

  long offset() {
    return pos;
  }

  long remaining() {
    return size - pos;
  }

  long size() {
    return size;
  }

  /** An error at the current offset. */
  MrtException error(String message) {
    return errorAt(pos, message);
  }

  /** An error at a given offset. */
  MrtException errorAt(long offset, String message) {
    return new MrtException(path + ": byte " + offset + ": " + message);
  }

  /** Ensures {@code n} bytes remain, naming {@code what} otherwise. */
  void require(long n, String what) {
    if (n < 0 || n > remaining()) {
      throw error("truncated file: " + what + " needs " + n + " bytes, only " + remaining() + " remain");
    }
  }

  private ByteBuffer take(int n, String what) throws IOException {
    require(n, what);
    long rel = pos - windowStart;
    if (rel < 0 || rel + n > window.limit()) {
      window.clear();
      windowStart = pos;
      int want = (int) Math.min(WINDOW, size - pos);
      while (window.position() < want) {
        if (channel.read(window, windowStart + window.position()) < 0) {
          break;
        }
      }
      window.flip();
      rel = 0;
    }
    window.position((int) rel);
    pos += n;
    return window;
  }

  int i32(String what) throws IOException {
    return take(4, what).getInt();
  }

  long u32(String what) throws IOException {
    return Integer.toUnsignedLong(take(4, what).getInt());
  }

  long i64(String what) throws IOException {
    return take(8, what).getLong();
  }

  /** An unsigned 64-bit count; a value above Long.MAX_VALUE is reported as too large. */
  long u64(String what) throws IOException {
    long at = pos;
    long v = take(8, what).getLong();
    if (v < 0) {
      throw errorAt(at, what + " " + Long.toUnsignedString(v) + " is too large");
    }
    return v;
  }

  /** Reads exactly {@code dst.remaining()} bytes into {@code dst} (the caller bounded the size). */
  void readFully(ByteBuffer dst, String what) throws IOException {
    require(dst.remaining(), what);
    // serve what the window holds first
    long rel = pos - windowStart;
    if (rel >= 0 && rel < window.limit()) {
      int n = (int) Math.min(dst.remaining(), window.limit() - rel);
      ByteBuffer slice = window.duplicate().order(ByteOrder.LITTLE_ENDIAN);
      slice.position((int) rel).limit((int) rel + n);
      dst.put(slice);
      pos += n;
    }
    while (dst.hasRemaining()) {
      int r = channel.read(dst, pos);
      if (r < 0) {
        throw error("unexpected end of file while reading " + what);
      }
      pos += r;
    }
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
