package io.mrt.runtime.cli;

import io.mrt.api.registry.Hook;
import io.mrt.runtime.plugin.LoadedPlugins;
import io.mrt.runtime.registry.OpTable;
import io.mrt.runtime.registry.ResolvedOp;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code mrt ops}: one row per registered op (built-in and plugin): name, source jar, the plugin
 * that provides it ({@code -} for the class path), hooks present and the CVM ops it may emit.
 */
@Command(name = "ops", description = "List the registered operators, their source jar or plugin, and hooks.")
final class OpsCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  PluginOptions plugins;

  @picocli.CommandLine.Option(names = "--markdown",
      description = "Print the operator coverage table in Markdown (as in docs/operators.md).")
  boolean markdown;

  @Override
  public Integer call() {
    try (LoadedPlugins loaded = plugins.load()) {
      OpTable table = loaded.opTable(Map.of());
      if (markdown) {
        spec.commandLine().getOut().print(io.mrt.runtime.registry.OpCoverage.markdown(table));
        spec.commandLine().getOut().flush();
        return Main.OK;
      }
      List<String[]> rows = new ArrayList<>();
      rows.add(new String[] {"OP", "SOURCE", "PLUGIN", "HOOKS", "CVM OPS"});
      for (ResolvedOp op : table.ops()) {
        List<String> hooks = new ArrayList<>();
        for (Hook h : Hook.values()) {
          if (op.descriptor().has(h)) {
            hooks.add(io.mrt.runtime.registry.OpCoverage.camel(h));
          }
        }
        String plugin = op.source().pluginId();
        rows.add(new String[] {
            op.key(), op.source().location(), plugin == null ? "-" : plugin, String.join(",", hooks),
            String.join(",", op.descriptor().emits())});
      }
      Table.print(spec.commandLine().getOut(), rows);
      return Main.OK;
    }
  }

}
