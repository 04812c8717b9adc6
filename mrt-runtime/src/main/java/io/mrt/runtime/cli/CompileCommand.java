package io.mrt.runtime.cli;

import io.mrt.runtime.config.MrtConfig;
import io.mrt.runtime.registry.OpTable;
import io.mrt.runtime.stage.run.Pipeline;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;

/** {@code mrt compile CONFIG.yaml}: the compile stage alone, reading the files of the stage before it. */
@Command(name = "compile", description = "Run the compile stage of a YAML config (see mrt run).")
final class CompileCommand extends ConfigCommand {
  @Override
  List<String> fixedOverrides() {
    return List.of("--common.pass_name", "compile");
  }

  @Override
  void run(MrtConfig cfg, OpTable ops, PrintWriter out) {
    Pipeline.run(cfg, ops, out);
  }
}
