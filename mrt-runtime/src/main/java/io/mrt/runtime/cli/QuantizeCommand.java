package io.mrt.runtime.cli;

import io.mrt.runtime.config.MrtConfig;
import io.mrt.runtime.registry.OpTable;
import io.mrt.runtime.stage.run.Pipeline;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;

/** {@code mrt quantize CONFIG.yaml}: the quantize stage alone, reading the files of the stage before it. */
@Command(name = "quantize", description = "Run the quantize stage of a YAML config (see mrt run).")
final class QuantizeCommand extends ConfigCommand {
  @Override
  List<String> fixedOverrides() {
    return List.of("--common.pass_name", "quantize");
  }

  @Override
  void run(MrtConfig cfg, OpTable ops, PrintWriter out) {
    Pipeline.run(cfg, ops, out);
  }
}
