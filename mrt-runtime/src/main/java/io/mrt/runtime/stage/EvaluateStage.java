package io.mrt.runtime.stage;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.mrt.api.graph.Model;
import io.mrt.runtime.config.MrtConfig;
import io.mrt.runtime.data.BatchIterator;
import io.mrt.runtime.data.Datasets;
import io.mrt.runtime.exec.cvm.CvmExecutor;
import io.mrt.runtime.exec.fp.FloatExecutor;
import io.mrt.runtime.io.AtomicFiles;
import io.mrt.runtime.io.cvm.CvmModel;
import io.mrt.runtime.io.mxnet.MxnetModels;
import io.mrt.runtime.registry.OpTable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The evaluate stage: the float model ({@code .fixed}, float executor) against the compiled
 * integer model (the quantized graph lowered to the CVM for EVALUATE.BATCH, run by the CVM
 * executor with exact integer semantics) on ITER_NUM batches of the test set. Writes the figures to
 * {@code OUT/NAME.evaluate.json}.
 */
public final class EvaluateStage {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private EvaluateStage() {}

  /** Runs the stage from the prepare and quantize stages' files. */
  public static EvalResult run(MrtConfig c, OpTable ops) {
    ModelFiles files = ModelFiles.of(c);
    Model fixed = MxnetModels.loadRunnable(new io.mrt.runtime.io.mxnet.ModelFiles(files.fixedSymbol(), files.fixedParams()));
    QuantizedModel q = QuantizedModel.read(files);
    BatchIterator batches = StageData.evaluationBatches(c, ops.datasets());
    CvmModel compiled = CvmCompiler.compile(q.model(), ops, c.inputShape(batches.batchSize()));
    String dataset = c.string("CALIBRATE.DATASET_NAME");
    EvalResult r = Evaluator.evaluate(files.name(), batches, new FloatExecutor(fixed, ops),
        CvmExecutor.load(compiled, "evaluation model"), q.input(), () -> Datasets.newMetric(ops.datasets(), dataset));
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
    return r;
  }
}
