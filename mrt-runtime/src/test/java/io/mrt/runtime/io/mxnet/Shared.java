package io.mrt.runtime.io.mxnet;

import java.nio.file.Path;

/** The shared folder (models, data) as surefire passes it, else the repository's test-fixtures folder. */
final class Shared {
  private Shared() {}

  static Path dir() {
    String p = System.getProperty("mrt.shared.dir");
    return p != null ? Path.of(p) : io.mrt.runtime.testutil.SharedDir.get();
  }
}
