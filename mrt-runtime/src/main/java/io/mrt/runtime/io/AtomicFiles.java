package io.mrt.runtime.io;

import io.mrt.runtime.MrtException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes a file under a temporary name in the same folder and renames it into place, so that a
 * reader never sees a half-written file and a failed write leaves the old file (if any) intact.
 */
public final class AtomicFiles {
  private AtomicFiles() {}

  /** The body of a write: fills the stream. */
  @FunctionalInterface
  public interface Body {
    /** Writes the content. */
    void write(OutputStream out) throws IOException;
  }

  /** createTempFile makes owner-only files; outputs get the usual rw-r--r-- where POSIX permissions exist. */
  private static void readableByAll(Path p) throws IOException {
    try {
      Files.setPosixFilePermissions(p, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system: keep its defaults
    }
  }

  /** Writes {@code target} through {@code body}; on failure the temporary file is removed. */
  public static void write(Path target, Body body) {
    Path abs = target.toAbsolutePath();
    Path dir = abs.getParent();
    Path tmp = null;
    try {
      if (dir != null) {
        Files.createDirectories(dir);
      }
      tmp = Files.createTempFile(dir, "." + abs.getFileName(), ".tmp");
      try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
        body.write(out);
      }
      readableByAll(tmp);
      try {
        Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
      }
      tmp = null;
    } catch (IOException e) {
      throw new MrtException(target + ": cannot write: " + e.getMessage(), e);
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // the write already failed; the original error is reported
        }
      }
    }
  }
}
