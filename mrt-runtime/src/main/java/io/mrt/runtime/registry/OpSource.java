package io.mrt.runtime.registry;

import io.mrt.api.registry.OpRegistry;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.security.CodeSource;

/** Where a registry came from: its jar (or class folder) and, for plugins, the plugin id. */
public record OpSource(OpRegistry registry, String location, String pluginId) {
  /** The source of a registry found on the class path. */
  public static OpSource ofClassPath(OpRegistry registry) {
    return new OpSource(registry, locate(registry.getClass()), null);
  }

  /** The jar file name (or folder) a class was loaded from. */
  public static String locate(Class<?> c) {
    CodeSource cs = c.getProtectionDomain().getCodeSource();
    if (cs == null || cs.getLocation() == null) {
      return "<unknown>";
    }
    try {
      Path p = Path.of(cs.getLocation().toURI());
      Path name = p.getFileName();
      if (name != null && name.toString().equals("classes") && p.getParent() != null
          && p.getParent().getParent() != null) {
        return p.getParent().getParent().getFileName() + "/target/classes";
      }
      return name == null ? p.toString() : name.toString();
    } catch (URISyntaxException | IllegalArgumentException e) {
      return cs.getLocation().toString();
    }
  }

  /** A short label: {@code plugin ID (JAR)} for a plugin, else the jar. */
  public String label() {
    return pluginId == null ? location : "plugin " + pluginId + " (" + location + ")";
  }
}
