package io.mrt.runtime.testutil;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Locates the test data directory (models, data, cvm-conformance, spec): the system property
 * mrt.shared.dir (the build sets it: the repository's test-fixtures folder by default, the full
 * data directory with -Pfull), else the test-fixtures folder of the repository.
 */
public final class SharedDir {
  private SharedDir() {
  }

  /** The test data directory; a test that reads a file missing from it fails naming the path. */
  public static Path get() {
    String p = System.getProperty("mrt.shared.dir");
    if (p != null && !p.isBlank()) {
      return Path.of(p);
    }
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null) {
      if (Files.isDirectory(dir.resolve("test-fixtures/cvm-conformance"))) {
        return dir.resolve("test-fixtures").normalize();
      }
      dir = dir.getParent();
    }
    return Path.of("test-fixtures").toAbsolutePath();
  }
}
