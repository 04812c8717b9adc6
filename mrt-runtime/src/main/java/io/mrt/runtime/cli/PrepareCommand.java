package io.mrt.runtime.cli;

import io.mrt.runtime.config.ConfigLoader;
import io.mrt.runtime.config.MrtConfig;
import io.mrt.runtime.pass.PassReport;
import io.mrt.runtime.plugin.LoadedPlugins;
import io.mrt.runtime.stage.prepare.PrepareStage;
import io.mrt.runtime.stage.run.Pipeline;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * {@code mrt prepare CONFIG.yaml [--SECTION.KEY VALUE ...]}: the prepare stage. Prints one row per
 * pass (what it changed) and the files written.
 */
@Command(name = "prepare", description = {
    "Prepare a model as MRT V3 does: fix names, run the prepare passes (constant fusion, transpose fusion,"
        + " operator rewriting, ...), write MODEL_NAME.fixed.*, .prepare.json/.params/.conf (and .base.*/.top.*"
        + " with PREPARE.SPLIT_KEYS).",
    "Config keys can be overridden: --PREPARE.INPUT_SHAPE [-1,1,28,28]"})
final class PrepareCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "CONFIG.yaml", description = "The MRT V3 YAML config.")
  Path config;

  @Unmatched
  List<String> overrides = new ArrayList<>();

  @Mixin
  PluginOptions plugins;

  @Override
  public Integer call() {
    MrtConfig cfg = ConfigLoader.load(config, overrides);
    PrepareStage.Result r;
    try (LoadedPlugins loaded = plugins.loadFor(cfg)) {
      r = Pipeline.run(PrepareStage.STAGE, cfg, PluginOptions.opTable(loaded, cfg), spec.commandLine().getOut());
    }
    PrintWriter out = spec.commandLine().getOut();
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"PASS", "REMOVED", "ADDED", "CHANGED", "OPS", "PARAMS", "MS"});
    for (PassReport p : r.reports()) {
      rows.add(new String[] {p.pass(), Integer.toString(p.removed().size()), Integer.toString(p.added().size()),
          Integer.toString(p.changed().size()), Integer.toString(p.ops()), Integer.toString(p.params()),
          Long.toString(p.millis())});
    }
    Table.print(out, rows);
    out.println("wrote:");
    for (Path p : r.written()) {
      out.println("  " + p);
    }
    return Main.OK;
  }
}
