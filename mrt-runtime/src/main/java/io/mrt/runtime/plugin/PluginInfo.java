package io.mrt.runtime.plugin;

import io.mrt.api.registry.OpDescriptor;
import io.mrt.runtime.registry.OpSource;
import java.nio.file.Path;
import java.util.List;

/**
 * What the plugin host found in one jar of the plugins directory: its PF4J descriptor, whether it
 * loaded, why not if it failed, and the op registries it provides.
 *
 * @param jar the jar file
 * @param id the {@code Plugin-Id}, or {@code null} when the jar has none
 * @param version the {@code Plugin-Version}, or {@code null}
 * @param requires the {@code Plugin-Requires} range of mrt-api versions, or {@code null}
 * @param failure why the plugin did not load, or {@code null} when it loaded
 * @param sources the op registries of a loaded plugin (empty when it failed)
 */
public record PluginInfo(Path jar, String id, String version, String requires, String failure,
    List<OpSource> sources) {
  /** Copies the sources. */
  public PluginInfo {
    sources = List.copyOf(sources);
  }

  /** Whether the plugin loaded and its ops are available. */
  public boolean loaded() {
    return failure == null;
  }

  /** The jar's file name. */
  public String jarName() {
    return jar.getFileName().toString();
  }

  /** The keys of the ops the plugin provides, in registry order. */
  public List<String> opKeys() {
    return sources.stream().flatMap(s -> s.registry().ops().stream()).map(OpDescriptor::key).toList();
  }

  /** {@code id version (jar)}, or the jar alone when the descriptor could not be read. */
  public String label() {
    return id == null ? jarName() : id + (version == null ? "" : " " + version) + " (" + jarName() + ")";
  }
}
