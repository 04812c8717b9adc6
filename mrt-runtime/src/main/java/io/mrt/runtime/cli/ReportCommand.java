package io.mrt.runtime.cli;

import io.mrt.runtime.config.MrtConfig;
import io.mrt.runtime.registry.OpTable;
import io.mrt.runtime.stage.report.ReportStage;
import io.mrt.runtime.stage.run.Pipeline;
import java.io.PrintWriter;
import picocli.CommandLine.Command;

/**
 * {@code mrt report CONFIG.yaml}: where precision goes, node by node, after the calibrate stage: an
 * HTML page and the same data as JSON beside the stage files.
 */
@Command(name = "report", description = "Write the per-node quantization report of a YAML config "
    + "(OUT/NAME.report.html and .json; needs the calibrate stage's files).")
final class ReportCommand extends ConfigCommand {
  @Override
  void run(MrtConfig cfg, OpTable ops, PrintWriter out) {
    ReportStage.Result r = Pipeline.report(cfg, ops);
    long worst = r.report().nodes().stream().filter(n -> n.sqnrDb() != null).count();
    out.println("quantization report of " + r.report().nodes().size() + " nodes (" + worst + " with an SQNR) on "
        + r.report().images() + " images: " + r.html());
    out.println("data for scripts: " + r.json());
  }
}
