package io.mrt.runtime.cli;

import io.mrt.runtime.config.ConfigLoader;
import io.mrt.runtime.config.MrtConfig;
import io.mrt.runtime.plugin.LoadedPlugins;
import io.mrt.runtime.registry.OpTable;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * A command that runs on an MRT V3 YAML config: {@code CONFIG.yaml}, then {@code --section.key value}
 * overrides, with the plugins of {@code --plugins} (else MRT_PLUGINS_DIR, COMMON.PLUGINS_DIR,
 * ~/.mrt/plugins).
 */
abstract class ConfigCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "CONFIG.yaml", description = "The MRT V3 YAML config.")
  Path config;

  @Unmatched
  List<String> overrides = new ArrayList<>();

  @Mixin
  PluginOptions plugins;

  /** Runs with the loaded config and op table. */
  abstract void run(MrtConfig cfg, OpTable ops, PrintWriter out);

  /** Extra overrides that the command sets (e.g. PASS_NAME for a one-stage command). */
  List<String> fixedOverrides() {
    return List.of();
  }

  MrtConfig loadConfig() {
    List<String> all = new ArrayList<>(overrides);
    all.addAll(fixedOverrides());
    return ConfigLoader.load(config, all);
  }

  @Override
  public Integer call() {
    MrtConfig cfg = loadConfig();
    try (LoadedPlugins loaded = plugins.loadFor(cfg)) {
      run(cfg, PluginOptions.opTable(loaded, cfg), spec.commandLine().getOut());
    }
    return Main.OK;
  }
}
