package io.mrt.runtime.cli;

import io.mrt.runtime.plugin.LoadedPlugins;
import io.mrt.runtime.plugin.PluginHost;
import io.mrt.runtime.plugin.PluginsDir;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The {@code --plugins DIR} option, as a picocli mixin for every command that runs ops
 * ({@code @Mixin PluginOptions plugins;}). Without the option the directory comes from
 * {@code MRT_PLUGINS_DIR}, then the config's {@code COMMON.PLUGINS_DIR}, then
 * {@code ~/.mrt/plugins} (see {@link PluginsDir}).
 */
public final class PluginOptions {
  @Option(names = "--plugins", paramLabel = "DIR",
      description = "Directory of operator plugin jars (default: $MRT_PLUGINS_DIR, else the config's "
          + "COMMON.PLUGINS_DIR, else ~/.mrt/plugins).")
  Path dir;

  /** The plugins directory, given the config's {@code COMMON.PLUGINS_DIR} value (or {@code null}). */
  public PluginsDir resolve(String configPluginsDir) {
    return PluginsDir.resolve(dir, configPluginsDir);
  }

  /**
   * Loads the plugins (a bad jar is reported and skipped). Keep the result open while the ops run;
   * build the op table with {@link LoadedPlugins#opTable(Map)}, passing the config's
   * {@code COMMON.OP_PROVIDERS}.
   */
  public LoadedPlugins load(String configPluginsDir) {
    return PluginHost.load(resolve(configPluginsDir));
  }
}
