package io.mrt.train;

import io.mrt.api.graph.Model;
import java.nio.file.Path;
import java.util.Set;

/** Writes an IR model as MXNet symbol JSON + params with the project's MXNet writer. */
final class Export {
  private Export() {}

  static void write(Model model, Set<String> auxNames, Path symbol, Path params) {
    throw new UnsupportedOperationException("waiting for io.mrt.runtime.io.mxnet");
  }
}
