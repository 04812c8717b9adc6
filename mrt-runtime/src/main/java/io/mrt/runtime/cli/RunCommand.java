package io.mrt.runtime.cli;

import io.mrt.runtime.config.MrtConfig;
import io.mrt.runtime.registry.OpTable;
import io.mrt.runtime.stage.run.Pipeline;
import java.io.PrintWriter;
import picocli.CommandLine.Command;

/** {@code mrt run CONFIG.yaml}: the stages of COMMON.PASS_NAME (all by default), resuming after START_AFTER. */
@Command(name = "run", description = {
    "Run the MRT V3 pipeline of a YAML config: prepare, calibrate, quantize, evaluate, compile.",
    "Override any key with --section.key value, e.g. --common.start_after calibrate."})
final class RunCommand extends ConfigCommand {
  @Override
  void run(MrtConfig cfg, OpTable ops, PrintWriter out) {
    Pipeline.run(cfg, ops, out);
    // a report, not a result: standard error, as the progress lines
    spec.commandLine().getErr().println(Memory.peakHeapLine());
  }
}
