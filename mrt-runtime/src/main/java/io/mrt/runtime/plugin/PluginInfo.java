package io.mrt.runtime.plugin;

import io.mrt.api.registry.OpDescriptor;
import io.mrt.runtime.registry.DatasetCatalog;
import io.mrt.runtime.registry.DatasetSource;
import io.mrt.runtime.registry.OpSource;
import java.nio.file.Path;
import java.util.List;

/**
 * What the plugin host found in one jar of the plugins directory: its PF4J descriptor, whether it
 * loaded, why not if it failed, and the op registries and dataset providers it provides.
 *
 * @param jar the jar file
 * @param id the {@code Plugin-Id}, or {@code null} when the jar has none
 * @param version the {@code Plugin-Version}, or {@code null}
 * @param requires the {@code Plugin-Requires} range of mrt-api versions, or {@code null}
 * @param failure why the plugin did not load, or {@code null} when it loaded
 * @param sources the op registries of a loaded plugin (empty when it failed)
 * @param datasets the dataset providers of a loaded plugin (empty when it failed)
 */
public record PluginInfo(Path jar, String id, String version, String requires, String failure,
    List<OpSource> sources, List<DatasetSource> datasets) {
  /** Copies the lists. */
  public PluginInfo {
    sources = List.copyOf(sources);
    datasets = List.copyOf(datasets);
  }

  /** The names of the data sets the plugin provides. */
  public List<String> datasetNames() {
    return datasets.stream().map(d -> DatasetCatalog.key(d.provider().name())).toList();
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
