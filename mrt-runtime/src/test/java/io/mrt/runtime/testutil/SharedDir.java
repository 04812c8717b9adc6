package io.mrt.runtime.testutil;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates ../shared: the system property mrt.shared.dir, else ../shared from the repository root. */
public final class SharedDir {
  private SharedDir() {
  }

  /** The shared folder (it may not exist). */
  public static Path get() {
    String p = System.getProperty("mrt.shared.dir");
    if (p != null && !p.isBlank()) {
      return Path.of(p);
    }
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null) {
      if (Files.isDirectory(dir.resolve("../shared/cvm-conformance"))) {
        return dir.resolve("../shared").normalize();
      }
      dir = dir.getParent();
    }
    return Path.of("../shared");
  }
}
