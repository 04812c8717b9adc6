package io.mrt.runtime.stage.evaluate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.mrt.api.graph.Model;
import io.mrt.runtime.data.BatchIterator;
import io.mrt.runtime.exec.cvm.CvmExecutor;
import io.mrt.runtime.exec.fp.FloatExecutor;
import io.mrt.runtime.io.AtomicFiles;
import io.mrt.runtime.io.cvm.CvmModel;
import io.mrt.runtime.io.mxnet.ModelFiles;
import io.mrt.runtime.io.mxnet.MxnetModels;
import io.mrt.runtime.registry.OpTable;
import io.mrt.runtime.stage.compile.CvmCompiler;
import io.mrt.runtime.stage.QuantizedModel;
import io.mrt.runtime.stage.Stage;
import io.mrt.runtime.stage.StageContext;
import io.mrt.runtime.stage.StageFiles;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The evaluate stage: the float model ({@code .fixed}, float executor) against the compiled
 * integer model (the quantized graph lowered to the CVM for EVALUATE.BATCH, run by the CVM
 * executor with exact integer semantics) on ITER_NUM batches of the test set. Writes the figures to
 * {@code OUT/NAME.evaluate.json}.
 */
public final class EvaluateStage implements Stage<EvaluateOptions, EvalResult> {
  /** The stage. */
  public static final EvaluateStage STAGE = new EvaluateStage();
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private EvaluateStage() {}

  @Override
  public String name() {
    return "evaluate";
  }

  @Override
  public Optional<String> skipped(EvaluateOptions options) {
    return options.iterNum() == 0 ? Optional.of("evaluate skipped (EVALUATE.ITER_NUM is 0)") : Optional.empty();
  }

  /**
   * Runs the stage from the prepare and quantize stages' files; prints the figures, then (with
   * EVALUATE.REPORT) writes the per-node report and prints where.
   */
  @Override
  public EvalResult run(StageContext context, EvaluateOptions options) {
    StageFiles files = context.files();
    StageContext.requireInput(files.allQuantize("ext"), "quantize");
    OpTable ops = context.ops();
    Model fixed = MxnetModels.loadRunnable(new ModelFiles(files.fixedSymbol(), files.fixedParams()));
    QuantizedModel q = QuantizedModel.read(files);
    BatchIterator batches = context.data().evaluation();
    CvmModel compiled = CvmCompiler.compile(q.model(), ops, context.inputShape(batches.batchSize()));
    EvalResult r = Evaluator.evaluate(files.name(), batches, new FloatExecutor(fixed, ops),
        CvmExecutor.load(compiled, "evaluation model"), q.input(), () -> context.data().newMetric());
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("model", r.model());
    report.put("float", Map.of("top1", r.floatTop1(), "top5", r.floatTop5()));
    report.put("quantized", Map.of("top1", r.quantTop1(), "top5", r.quantTop5(), "executor", "cvm"));
    report.put("total_samples", r.total());
    report.put("top1_agreement", r.agreement());
    report.put("top1_agreed", r.agreed());
    report.put("batch", batches.batchSize());
    report.put("line", r.line());
    report.put("agreement_line", r.agreementLine());
    r.metric().ifPresent(m -> report.put("metric", Map.of("name", m.name(), "float", m.floatValue(),
        "quantized", m.quantValue())));
    r.metricLine().ifPresent(l -> report.put("metric_line", l));
    AtomicFiles.write(files.evaluateReport(), out -> JSON.writeValue(out, report));
    PrintWriter out = context.out();
    out.println(r.line());
    out.println(r.agreementLine());
    r.metricLine().ifPresent(out::println);
    options.report().apply(context).ifPresent(html -> out.println("quantization report: " + html));
    return r;
  }
}
