package io.mrt.runtime.cli;

import io.mrt.runtime.config.MrtConfig;
import io.mrt.runtime.plugin.LoadedPlugins;
import io.mrt.runtime.plugin.PluginHost;
import io.mrt.runtime.plugin.PluginPins;
import io.mrt.runtime.plugin.PluginsDir;
import io.mrt.runtime.registry.OpTable;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The {@code --plugins DIR} option, as a picocli mixin for every command that runs ops
 * ({@code @Mixin PluginOptions plugins;}). Without the option the directory comes from
 * {@code MRT_PLUGINS_DIR}, then the config's {@code COMMON.PLUGINS_DIR}, then
 * {@code ~/.mrt/plugins} (see {@link PluginsDir}). A command that runs a config does:
 *
 * <pre>{@code
 * try (LoadedPlugins loaded = plugins.loadFor(config)) {
 *   OpTable ops = PluginOptions.opTable(loaded, config);
 *   ... run the stages with ops ...
 * }
 * }</pre>
 */
public final class PluginOptions {
  /** The config key choosing between two providers of one op. */
  public static final String OP_PROVIDERS = "COMMON.OP_PROVIDERS";

  @Option(names = "--plugins", paramLabel = "DIR",
      description = "Directory of plugin jars, operators and data sets (default: $MRT_PLUGINS_DIR, else the config's "
          + "COMMON.PLUGINS_DIR, else ~/.mrt/plugins).")
  Path dir;

  /** The plugins directory, given the config's {@code COMMON.PLUGINS_DIR} value (or {@code null}). */
  public PluginsDir resolve(String configPluginsDir) {
    return PluginsDir.resolve(dir, configPluginsDir);
  }

  /** Loads the plugins of a command that reads no config (a bad jar is reported and skipped). */
  public LoadedPlugins load() {
    return load((String) null);
  }

  /**
   * Loads the plugins (a bad jar is reported and skipped). Keep the result open while the ops run;
   * build the op table with {@link LoadedPlugins#opTable(Map)}, passing the config's
   * {@code COMMON.OP_PROVIDERS}.
   */
  public LoadedPlugins load(String configPluginsDir) {
    return PluginHost.load(resolve(configPluginsDir));
  }

  /** Loads the plugins with the config's jar pins ({@code COMMON.PLUGINS_SHA256}; empty: the lock file). */
  LoadedPlugins load(String configPluginsDir, Map<String, String> pins) {
    return PluginHost.load(resolve(configPluginsDir), pins);
  }

  /**
   * Loads the plugins for a run of {@code config}: its {@code COMMON.PLUGINS_DIR} (relative to the
   * config file) comes after {@code --plugins} and {@code MRT_PLUGINS_DIR}. Keep the result open
   * while the ops run.
   */
  public LoadedPlugins loadFor(MrtConfig config) {
    Path configured = config.path(PluginsDir.CONFIG_KEY);
    return load(configured == null ? null : configured.toString(), config.map(PluginPins.CONFIG_KEY));
  }

  /**
   * The op table of a run: the built-ins and the loaded plugins, {@code COMMON.OP_PROVIDERS}
   * choosing between two providers of one op (an unresolved clash is an error naming both jars).
   */
  public static OpTable opTable(LoadedPlugins plugins, MrtConfig config) {
    return plugins.opTable(config.map(OP_PROVIDERS));
  }
}
