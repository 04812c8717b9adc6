package io.mrt.runtime.cli;

import io.mrt.api.MrtApi;
import io.mrt.runtime.MrtException;
import io.mrt.runtime.plugin.PluginHost;
import io.mrt.runtime.plugin.PluginPins;
import io.mrt.runtime.plugin.PluginsDir;
import io.mrt.runtime.plugin.LoadedPlugins;
import io.mrt.runtime.plugin.PluginInfo;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code mrt plugins}: one row per jar of the plugins directory: plugin id, version, the mrt-api
 * versions it requires, whether it loaded, its jar and the ops and data sets it provides; then the reason of every
 * failed jar, and the op clashes that would stop a run.
 */
@Command(name = "plugins", description = "List the plugins of the plugins directory and the ops and data sets each provides.")
final class PluginsCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  PluginOptions plugins;

  @picocli.CommandLine.Option(names = "--lock", description = "Pin the jars now in the plugins directory: write "
      + "their SHA-256 to plugins.lock there, so that later runs refuse any jar that changes or is added.")
  boolean lock;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    if (lock) {
      PluginsDir dir = plugins.resolve(null);
      if (!dir.exists()) {
        throw new MrtException("plugins directory " + dir + ": expected a directory to lock, found nothing");
      }
      List<java.nio.file.Path> jars = PluginHost.jars(dir);
      java.nio.file.Path file = PluginPins.writeLock(dir.path(), jars);
      out.println("wrote " + file + ": " + jars.size() + " jar" + (jars.size() == 1 ? "" : "s") + " pinned by SHA-256");
    }
    try (LoadedPlugins loaded = plugins.load()) {
      out.println("plugins directory: " + loaded.dir() + (loaded.dir().exists() ? "" : ", which does not exist"));
      out.println("mrt-api version: " + MrtApi.VERSION);
      if (loaded.plugins().isEmpty()) {
        out.println("no plugins");
        out.flush();
        return Main.OK;
      }
      List<String[]> rows = new ArrayList<>();
      rows.add(new String[] {"ID", "VERSION", "REQUIRES", "STATE", "JAR", "OPS", "DATA SETS"});
      for (PluginInfo p : loaded.plugins()) {
        rows.add(new String[] {
            orDash(p.id()), orDash(p.version()), orDash(p.requires()), p.loaded() ? "loaded" : "failed",
            p.jarName(), p.loaded() && !p.opKeys().isEmpty() ? String.join(",", p.opKeys()) : "-",
            p.loaded() && !p.datasetNames().isEmpty() ? String.join(",", p.datasetNames()) : "-"});
      }
      out.println();
      Table.print(out, rows);
      if (!loaded.failed().isEmpty()) {
        out.println();
        out.println("failed (skipped; the other plugins load normally):");
        for (PluginInfo p : loaded.failed()) {
          out.println("  " + p.jarName() + ": " + p.failure());
        }
      }
      try {
        loaded.datasets();
      } catch (MrtException e) {
        out.println();
        out.println("data set clashes (a run stops on these):");
        for (String line : e.getMessage().split("\n")) {
          out.println("  " + line);
        }
      }
      try {
        List<io.mrt.runtime.registry.OpSource> all = new ArrayList<>(io.mrt.runtime.registry.OpTable.classPathSources());
        all.addAll(loaded.sources());
        io.mrt.runtime.registry.OpTable.merge(all, Map.of());
      } catch (MrtException e) {
        out.println();
        out.println("op clashes (a run stops on these unless COMMON.OP_PROVIDERS chooses a provider):");
        for (String line : e.getMessage().split("\n")) {
          out.println("  " + line);
        }
      }
      out.flush();
      return Main.OK;
    }
  }

  private static String orDash(String s) {
    return s == null ? "-" : s;
  }
}
