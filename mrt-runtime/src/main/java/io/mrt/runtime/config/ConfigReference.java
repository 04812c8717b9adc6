package io.mrt.runtime.config;

import java.util.List;
import java.util.Map;

/** Renders the config reference of the user guide (a Markdown table per section) from {@link ConfigSchema}. */
public final class ConfigReference {
  private ConfigReference() {}

  /** The Markdown reference of every key. */
  public static String markdown() {
    StringBuilder b = new StringBuilder();
    for (String section : ConfigSchema.SECTIONS) {
      b.append("### ").append(section).append("\n\n");
      b.append("| key | type | default | meaning |\n|---|---|---|---|\n");
      for (ConfigKey k : ConfigSchema.keys(section)) {
        b.append("| `").append(k.name()).append("` | ").append(ConfigKey.describe(k.type()))
            .append(" | ").append(show(k.defaultValue())).append(" | ").append(k.help().replace("|", "\\|"))
            .append(" |\n");
      }
      b.append('\n');
    }
    return b.toString();
  }

  private static String show(Object v) {
    if (v == null) {
      return "null";
    }
    if (v instanceof List<?> l && l.isEmpty()) {
      return "[]";
    }
    if (v instanceof Map<?, ?> m && m.isEmpty()) {
      return "{}";
    }
    return "`" + v.toString().replace(" ", "") + "`";
  }
}
