package io.mrt.runtime.registry;

import io.mrt.api.registry.Hook;
import java.util.List;

/**
 * The operator coverage table (docs/operators.md): one row per registered op with the MXNet op
 * name(s), the hooks present and the CVM operators it may emit, rendered from the op table.
 */
public final class OpCoverage {
  private OpCoverage() {}

  /** {@code INFER_SHAPE} as {@code inferShape}. */
  public static String camel(Hook h) {
    String[] parts = h.name().toLowerCase(java.util.Locale.ROOT).split("_");
    StringBuilder b = new StringBuilder(parts[0]);
    for (int i = 1; i < parts.length; i++) {
      b.append(Character.toUpperCase(parts[i].charAt(0))).append(parts[i].substring(1));
    }
    return b.toString();
  }

  /** The Markdown table of {@code table}'s ops. */
  public static String markdown(OpTable table) {
    StringBuilder b = new StringBuilder();
    b.append("| MXNet op | source |");
    for (Hook h : Hook.values()) {
      b.append(' ').append(camel(h)).append(" |");
    }
    b.append(" CVM ops emitted |\n|---|---|").append(":-:|".repeat(Hook.values().length)).append("---|\n");
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
