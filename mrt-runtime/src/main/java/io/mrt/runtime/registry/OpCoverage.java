package io.mrt.runtime.registry;

import io.mrt.api.registry.Hook;
import java.util.List;

/**
 * The operator coverage table (docs/operators.md): one row per registered op with the MXNet op
 * name(s), the hooks present and the CVM operators it may emit, rendered from the op table.
 */
public final class OpCoverage {
  private OpCoverage() {}

  /** The Markdown table of {@code table}'s ops. */
  public static String markdown(OpTable table) {
    StringBuilder b = new StringBuilder();
    b.append("| MXNet op | source | inferShape | forward | fuseTranspose | rewrite | calibrate | quantize | lowerToCvm | CVM ops emitted |\n");
    b.append("|---|---|:-:|:-:|:-:|:-:|:-:|:-:|:-:|---|\n");
    for (ResolvedOp op : table.ops()) {
      List<String> names = op.descriptor().names();
      String key = op.descriptor().isKeyed()
          ? names.get(0) + " (" + op.descriptor().whenAttr() + "=" + String.join("/", op.descriptor().whenValues()) + ")"
          : String.join(", ", names);
      b.append("| `").append(key.replace("|", "\\|")).append("` | ")
          .append(op.source().pluginId() == null ? op.source().registry().name() : op.source().pluginId());
      for (Hook h : Hook.values()) {
        b.append(" | ").append(op.descriptor().has(h) ? "yes" : "");
      }
      b.append(" | ").append(op.descriptor().emits().isEmpty() ? "" : "`" + String.join("`, `", op.descriptor().emits()) + "`")
          .append(" |\n");
    }
    return b.toString();
  }
}
