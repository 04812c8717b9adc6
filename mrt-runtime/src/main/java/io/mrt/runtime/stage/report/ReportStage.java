package io.mrt.runtime.stage.report;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.mrt.api.graph.Model;
import io.mrt.api.graph.Shape;
import io.mrt.runtime.MrtException;
import io.mrt.runtime.data.BatchIterator;
import io.mrt.runtime.exec.cvm.CvmExecutor;
import io.mrt.runtime.exec.cvm.CvmResult;
import io.mrt.runtime.io.AtomicFiles;
import io.mrt.runtime.io.mxnet.MxnetModels;
import io.mrt.runtime.registry.OpTable;
import io.mrt.runtime.stage.compile.CvmCompiler;
import io.mrt.runtime.stage.InputQuantization;
import io.mrt.runtime.stage.StageFiles;
import io.mrt.runtime.stage.StageContext;
import io.mrt.runtime.stage.calibrate.CalibrateStage;
import io.mrt.runtime.stage.quantize.QuantizeOptions;
import io.mrt.runtime.stage.quantize.QuantizePass;
import io.mrt.runtime.stage.quantize.QuantizeResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@code mrt report}: quantizes the calibrated model again in memory (the quantize stage is
 * deterministic, so this is the graph the quantize stage wrote), runs the float graph and the
 * quantized graph on the given batches, and writes {@code OUT/NAME.report.html} (self-contained)
 * and {@code OUT/NAME.report.json}.
 *
 * <p>The quantized graph runs through the integer ops' exact forwards in float32, like MRT's
 * simulation; on the first batch its outputs are checked value by value against the CVM executor
 * running the compiled graph, and the report says whether they agreed.
 */
public final class ReportStage {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private ReportStage() {}

  /** The files written and the report. */
  public record Result(Path html, Path json, QualityReport report) {}

  /**
   * Runs the report on the context's files: the calibration batches, then
   * {@link ReportOptions#images} test images in batches of CALIBRATE.BATCH, through the float and
   * the quantized graph.
   */
  public static Result run(StageContext context, ReportOptions options) {
    StageContext.requireInput(context.files().calibrate("ext"), "calibrate");
    BatchIterator calib = context.data().calibration();
    int batch = options.calibrateBatch();
    int images = options.images();
    if (images < 0) {
      throw new MrtException("EVALUATE.REPORT_IMAGES: expected a count >= 0, found " + images);
    }
    int batches = (int) ((images + (long) batch - 1) / batch);
    BatchIterator test = context.data().test(batch, batches);
    Iterator<INDArray> all = Stream.concat(stream(calib), stream(test)).iterator();
    return run(context.files(), options.quantize(), all, context.ops());
  }

  private static Stream<INDArray> stream(BatchIterator b) {
    return StreamSupport.stream(Spliterators.spliteratorUnknownSize(b, Spliterator.ORDERED), false).map(x -> x.data());
  }

  /**
   * Runs the report.
   *
   * @param files the model's files (the calibrate stage's output must exist)
   * @param options the QUANTIZE options the quantize stage used
   * @param batches float input batches (calibration batches, then test images)
   * @param ops the op table
   */
  public static Result run(StageFiles files, QuantizeOptions options, Iterator<INDArray> batches, OpTable ops) {
    Path calibrated = CalibrateStage.output(files).symbol();
    if (!Files.exists(calibrated)) {
      throw new MrtException(calibrated + ": not found; run the calibrate stage first (the report quantizes the "
          + "calibrated model)");
    }
    if (!batches.hasNext()) {
      throw new MrtException("report: no images to run (check CALIBRATE.NUM_CALIB and the dataset)");
    }
    Model model = MxnetModels.loadRunnable(CalibrateStage.output(files));
    Map<String, Double> th = CalibrateStage.readThresholds(files.calibrate("ext"));
    INDArray first = batches.next();
    Map<String, Shape> shapes = new LinkedHashMap<>();
    for (String in : model.inputNames()) {
      shapes.put(in, Shape.of(first.shape()));
    }
    QuantizeResult q = new QuantizePass(ops).run(model, th, options, shapes);
    ReportBuilder builder = new ReportBuilder(model, q, ops);
    String exactness = checkAgainstCvm(q, builder, first, ops);
    builder.add(first);
    while (batches.hasNext()) {
      builder.add(batches.next());
    }
    QualityReport report = builder.build(files.name(), exactness, evaluation(files.evaluateReport()));
    Path json = files.stageFile("report", "json");
    Path html = files.stageFile("report", "html");
    AtomicFiles.write(json, out -> JSON.writeValue(out, report));
    String page = ReportHtml.render(report, new ObjectMapper());
    AtomicFiles.write(html, out -> out.write(page.getBytes(StandardCharsets.UTF_8)));
    return new Result(html, json, report);
  }

  /** Compiles the quantized graph and compares its outputs on {@code batch} with the simulation's. */
  static String checkAgainstCvm(QuantizeResult q, ReportBuilder builder, INDArray batch, OpTable ops) {
    if (!q.isInteger()) {
      return "Integer values come from the float32 simulation of the integer ops; nodes restored to float ("
          + q.restored().size() + ") keep the graph from compiling, so they were not checked against the CVM.";
    }
    CvmExecutor cvm = CvmExecutor.load(CvmCompiler.compile(q.model(), ops, batch.shape()), "report model");
    int[] input = new InputQuantization(q.inputScale(), q.inputPrecision()).apply(batch);
    CvmResult exact = cvm.run(input);
    List<INDArray> simulated = builder.integerOutputs(batch);
    long total = 0;
    long equal = 0;
    for (int i = 0; i < simulated.size(); i++) {
      int[] e = exact.outputs().get(i).values();
      float[] s = simulated.get(i).castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT).dup('c').data().asFloat();
      if (s.length != e.length) {
        throw new MrtException("report: output " + i + " has " + s.length + " simulated values but " + e.length
            + " on the CVM executor");
      }
      for (int k = 0; k < e.length; k++) {
        total++;
        if (s[k] == e[k]) {
          equal++;
        }
      }
    }
    return "Integer values come from the float32 simulation of the integer ops; on the first batch the simulated "
        + "outputs equal the CVM executor's (exact integer semantics) in " + equal + " of " + total + " values.";
  }

  private static Map<String, Object> evaluation(Path evaluate) {
    if (!Files.exists(evaluate)) {
      return Map.of();
    }
    try {
      return JSON.readValue(evaluate.toFile(), new TypeReference<Map<String, Object>>() {});
    } catch (IOException ex) {
      throw new MrtException(evaluate + ": cannot read the evaluate figures: " + ex.getMessage(), ex);
    }
  }
}
