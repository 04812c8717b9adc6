package io.mrt.runtime.plugin;

import io.mrt.runtime.registry.DatasetCatalog;
import io.mrt.runtime.registry.DatasetSource;
import io.mrt.runtime.registry.OpSource;
import io.mrt.runtime.registry.OpTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The outcome of loading a plugins directory: one {@link PluginInfo} per jar (loaded or failed,
 * in file-name order) and the op registries and dataset providers of the loaded ones. Keep it open while the ops are in
 * use: {@link #close()} closes the plugins' class loaders.
 */
public final class LoadedPlugins implements AutoCloseable {
  private final PluginsDir dir;
  private final List<PluginInfo> plugins;
  private final AutoCloseable resources;

  LoadedPlugins(PluginsDir dir, List<PluginInfo> plugins, AutoCloseable resources) {
    this.dir = dir;
    this.plugins = List.copyOf(plugins);
    this.resources = resources;
  }

  /** No plugins (the directory does not exist or holds no jar). */
  public static LoadedPlugins none(PluginsDir dir) {
    return new LoadedPlugins(dir, List.of(), () -> { });
  }

  /** The directory the plugins came from. */
  public PluginsDir dir() {
    return dir;
  }

  /** Every jar found, loaded or failed, in file-name order. */
  public List<PluginInfo> plugins() {
    return plugins;
  }

  /** The plugins that failed to load. */
  public List<PluginInfo> failed() {
    return plugins.stream().filter(p -> !p.loaded()).toList();
  }

  /** The op registries of the loaded plugins. */
  public List<OpSource> sources() {
    return plugins.stream().filter(PluginInfo::loaded).flatMap(p -> p.sources().stream()).toList();
  }

  /**
   * The op table of the class-path registries (the built-ins) merged with the plugins' registries.
   * An op provided twice is an error naming both jars, unless {@code providers} (the config's
   * {@code COMMON.OP_PROVIDERS}: op name to plugin id or registry name) chooses one.
   */
  public OpTable opTable(Map<String, String> providers) {
    List<OpSource> all = new ArrayList<>(OpTable.classPathSources());
    all.addAll(sources());
    return OpTable.merge(all, providers).withDatasets(datasets());
  }

  /** The dataset providers of the loaded plugins, in file-name order. */
  public List<DatasetSource> datasetSources() {
    return plugins.stream().filter(PluginInfo::loaded).flatMap(p -> p.datasets().stream()).toList();
  }

  /**
   * The built-in data sets (class path) and the plugins' ones; a name provided twice is an error
   * naming both sources.
   */
  public DatasetCatalog datasets() {
    if (datasetSources().isEmpty()) {
      return DatasetCatalog.classPath();
    }
    List<DatasetSource> all = new ArrayList<>(DatasetCatalog.classPathSources());
    all.addAll(datasetSources());
    return DatasetCatalog.merge(all);
  }

  /** Closes the plugins' class loaders; their ops must not be called afterwards. */
  @Override
  public void close() {
    try {
      resources.close();
    } catch (Exception e) {
      throw new IllegalStateException("could not close the plugins of " + dir, e);
    }
  }
}
