package io.mrt.runtime.cli;

import io.mrt.runtime.MrtException;
import io.mrt.runtime.config.ConfigLoader;
import io.mrt.runtime.config.MrtConfig;
import io.mrt.runtime.plugin.LoadedPlugins;
import io.mrt.runtime.stage.run.Pipeline;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * {@code mrt demo}: the embedded default. Runs {@code demo/mnist-dapp.yaml} of the repository (the
 * MNIST "dapp" net that the project trains and exports, on the bundled MNIST test set) through every
 * stage, prints the results line and writes the CVM model under {@code mrt-out/demo/}.
 */
@Command(name = "demo", description = {
    "Run the embedded default end to end: the bundled MNIST model (demo/mnist-dapp) on the bundled MNIST"
        + " test set: prepare, calibrate, quantize, evaluate on all 10,000 images, compile.",
    "Keys of demo/mnist-dapp.yaml can be overridden: --evaluate.iter_num 10"})
final class DemoCommand implements Callable<Integer> {
  /** The demo config, relative to the repository root. */
  static final String CONFIG = "demo/mnist-dapp.yaml";

  @Spec
  CommandSpec spec;

  @Unmatched
  List<String> overrides = new ArrayList<>();

  @Mixin
  PluginOptions plugins;

  static Path home() {
    String home = System.getProperty("mrt.home");
    return Path.of(home == null ? "." : home).toAbsolutePath().normalize();
  }

  @Override
  public Integer call() {
    Path config = home().resolve(CONFIG);
    if (!Files.exists(config)) {
      throw new MrtException(config + ": the demo config is missing; run ./mrt demo from a clone of the repository "
          + "(or set -Dmrt.home to it)");
    }
    MrtConfig cfg = ConfigLoader.load(config, overrides);
    PrintWriter out = spec.commandLine().getOut();
    try (LoadedPlugins loaded = plugins.load(cfg.string("COMMON.PLUGINS_DIR"))) {
      Pipeline.run(cfg, loaded.opTable(cfg.map("COMMON.OP_PROVIDERS")), out);
    }
    out.println(Memory.peakHeapLine());
    return Main.OK;
  }
}
