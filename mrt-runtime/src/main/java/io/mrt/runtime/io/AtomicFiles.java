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

  private static final long PID = ProcessHandle.current().pid();

  /**
   * The name prefix of the temporary files and folders written for {@code target}:
   * {@code .NAME.~PID~}. The process id lets a later run tell an interrupted writer's leftovers
   * (whose process is gone) from a concurrent writer's work in progress.
   */
  public static String tempPrefix(Path target) {
    return "." + target.getFileName() + ".~" + PID + "~";
  }

  /** A new empty temporary file next to {@code target} (see {@link #tempPrefix}). */
  public static Path createTemp(Path target) throws IOException {
    Path abs = target.toAbsolutePath();
    return Files.createTempFile(abs.getParent(), tempPrefix(abs), ".tmp");
  }

  /** A fresh name for a temporary folder next to {@code target} (see {@link #tempPrefix}); not created. */
  public static Path tempDirName(Path target, String kind) {
    Path abs = target.toAbsolutePath();
    return abs.resolveSibling(tempPrefix(abs) + kind + "-" + java.util.UUID.randomUUID() + ".tmp");
  }

  /**
   * Removes the temporary files and folders that an interrupted write of {@code target} left next to
   * it: those named by {@link #tempPrefix} whose process has ended, and the unnumbered names of
   * earlier versions ({@code .NAME123.tmp}, {@code .NAME.123.tmp}, {@code .NAME.tmp-UUID},
   * {@code .NAME.old-UUID}, {@code NAME.tmp}). Another live process's temporaries are kept. Returns
   * how many entries were removed; failures to remove are ignored (the write itself reports real
   * problems).
   */
  public static int removeStale(Path target) {
    Path abs = target.toAbsolutePath();
    Path dir = abs.getParent();
    if (dir == null || !Files.isDirectory(dir)) {
      return 0;
    }
    String name = abs.getFileName().toString();
    java.util.regex.Pattern p = java.util.regex.Pattern.compile("\\." + java.util.regex.Pattern.quote(name)
        + "(?:\\.~(\\d{1,19})~.*\\.tmp|\\d+\\.tmp|\\.\\d+\\.tmp|\\.(?:tmp|old)-[0-9a-f-]{36})|"
        + java.util.regex.Pattern.quote(name) + "\\.tmp");
    int removed = 0;
    try (java.util.stream.Stream<Path> entries = Files.list(dir)) {
      for (Path e : entries.toList()) {
        java.util.regex.Matcher m = p.matcher(e.getFileName().toString());
        if (!m.matches()) {
          continue;
        }
        if (m.group(1) != null) {
          long pid;
          try {
            pid = Long.parseLong(m.group(1));
          } catch (NumberFormatException ex) {
            pid = -1;
          }
          if (pid == PID || ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            continue;
          }
        }
        if (deleteTree(e)) {
          removed++;
        }
      }
    } catch (IOException | RuntimeException ignored) {
      // best effort: a folder that cannot be listed is reported by the write itself
    }
    return removed;
  }

  /** Deletes a file or a folder tree without following links; returns whether it is gone. */
  public static boolean deleteTree(Path p) {
    try {
      if (Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
        try (java.util.stream.Stream<Path> s = Files.list(p)) {
          for (Path c : s.toList()) {
            deleteTree(c);
          }
        }
      }
      Files.deleteIfExists(p);
      return true;
    } catch (IOException | RuntimeException e) {
      return false;
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
      removeStale(abs);
      tmp = createTemp(abs);
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
