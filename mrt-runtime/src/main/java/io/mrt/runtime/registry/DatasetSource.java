package io.mrt.runtime.registry;

import io.mrt.api.data.DatasetProvider;

/**
 * Where a dataset provider came from: its jar (or class folder) and, for plugins, the plugin id.
 *
 * @param provider the provider
 * @param location the jar file name (or class folder) holding the provider's class
 * @param pluginId the plugin id, or {@code null} for the class path
 */
public record DatasetSource(DatasetProvider provider, String location, String pluginId) {
  /** The source of a provider found on the class path. */
  public static DatasetSource ofClassPath(DatasetProvider provider) {
    return new DatasetSource(provider, OpSource.locate(provider.getClass()), null);
  }

  /** {@code class C (JAR)} on the class path, {@code plugin ID (JAR, class C)} for a plugin. */
  public String label() {
    String cls = provider.getClass().getName();
    return pluginId == null ? "class " + cls + " (" + location + ")"
        : "plugin " + pluginId + " (" + location + ", class " + cls + ")";
  }
}
