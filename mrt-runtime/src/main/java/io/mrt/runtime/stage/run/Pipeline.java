package io.mrt.runtime.stage.run;

import io.mrt.runtime.MrtException;
import io.mrt.runtime.config.MrtConfig;
import io.mrt.runtime.registry.OpTable;
import io.mrt.runtime.stage.CompileStage;
import io.mrt.runtime.stage.EvalResult;
import io.mrt.runtime.stage.EvaluateStage;
import io.mrt.runtime.stage.ModelFiles;
import io.mrt.runtime.stage.PrepareStage;
import io.mrt.runtime.stage.StageData;
import io.mrt.runtime.stage.calibrate.CalibrateStage;
import io.mrt.runtime.stage.quantize.QuantizeStage;
import io.mrt.runtime.data.BatchIterator;
import io.mrt.runtime.data.Split;
import io.mrt.runtime.stage.report.ReportStage;
import java.io.PrintWriter;
import java.util.Iterator;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.nd4j.linalg.api.ndarray.INDArray;
import java.nio.file.Files;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the stages a config asks for, as MRT V3's {@code execute.run}: with PASS_NAME {@code all},
 * prepare, calibrate, quantize, then evaluate (RUN_EVALUATE) and compile (RUN_COMPILE), skipping
 * the stages up to START_AFTER (their saved files are read instead); otherwise the one stage named.
 */
public final class Pipeline {
  /** The stages in order. */
  public static final List<String> STAGES = List.of("prepare", "calibrate", "quantize", "evaluate", "compile");
  private static final Logger LOG = LoggerFactory.getLogger(Pipeline.class);

  private Pipeline() {}

  /** What a run produced. */
  public record Outcome(List<String> ran, Optional<EvalResult> evaluation, Optional<CompileStage.Result> compiled) {}

  /** Runs the stages of {@code c}; progress and results go to {@code out}. */
  public static Outcome run(MrtConfig c, OpTable ops, PrintWriter out) {
    String pass = c.passName();
    List<String> todo;
    if (pass.equals("all")) {
      int from = c.startAfter().equals("initial") ? 0 : STAGES.indexOf(c.startAfter()) + 1;
      todo = STAGES.subList(from, STAGES.size()).stream()
          .filter(s -> !s.equals("evaluate") || c.bool("COMMON.RUN_EVALUATE"))
          .filter(s -> !s.equals("compile") || c.bool("COMMON.RUN_COMPILE"))
          .toList();
    } else {
      todo = List.of(pass);
    }
    if (todo.stream().anyMatch(s -> !s.equals("prepare") && !s.equals("quantize"))) {
      // an unknown DATASET_NAME stops the run before any stage writes a file
      ops.datasets().find(c.string("CALIBRATE.DATASET_NAME"));
    }
    Optional<EvalResult> eval = Optional.empty();
    Optional<CompileStage.Result> compiled = Optional.empty();
    for (String stage : todo) {
      long t0 = System.nanoTime();
      out.println("== " + stage + " " + c.modelName());
      out.flush();
      try {
        switch (stage) {
          case "prepare" -> PrepareStage.run(c, ops);
          case "calibrate" -> {
            ModelFiles files = ModelFiles.of(c);
            boolean split = !c.strings("PREPARE.SPLIT_KEYS").isEmpty();
            requireInput(CalibrateStage.input(files, split).symbol(), "prepare");
            CalibrateStage.run(files, split, new DataIterator(StageData.calibrationBatches(c, ops.datasets())),
                StageOptions.calibrate(c), ops);
          }
          case "quantize" -> {
            ModelFiles files = ModelFiles.of(c);
            requireInput(files.calibrate("json"), "calibrate");
            QuantizeStage.run(files, StageOptions.quantize(c), c.inputShape(1), ops);
          }
          case "evaluate" -> {
            if (c.integer("EVALUATE.ITER_NUM") == 0) {
              out.println("evaluate skipped (EVALUATE.ITER_NUM is 0)");
              continue;
            }
            requireInput(ModelFiles.of(c).allQuantize("ext"), "quantize");
            EvalResult r = EvaluateStage.run(c, ops);
            out.println(r.line());
            out.println(r.agreementLine());
            r.metricLine().ifPresent(out::println);
            eval = Optional.of(r);
            if (c.bool("EVALUATE.REPORT")) {
              out.println("quantization report: " + report(c, ops).html());
            }
          }
          case "compile" -> {
            requireInput(ModelFiles.of(c).allQuantize("ext"), "quantize");
            CompileStage.Result r = CompileStage.run(c, ops);
            out.println("compiled CVM model: " + r.dir());
            out.println(io.mrt.runtime.io.cvm.CvmStoragePlan.summarize(r.model()).line());
            compiled = Optional.of(r);
          }
          default -> throw new MrtException("unknown stage " + stage);
        }
      } catch (OutOfMemoryError e) {
        throw StageMemory.exhausted(stage, c, e);
      }
      LOG.info("{} {} took {} ms", stage, c.modelName(), (System.nanoTime() - t0) / 1_000_000);
      out.flush();
    }
    return new Outcome(todo, eval, compiled);
  }

  /**
   * The per-node quantization report: the calibration batches, then EVALUATE.REPORT_IMAGES test
   * images in batches of CALIBRATE.BATCH, through the float and the quantized graph.
   */
  public static ReportStage.Result report(MrtConfig c, OpTable ops) {
    ModelFiles files = ModelFiles.of(c);
    requireInput(files.calibrate("ext"), "calibrate");
    BatchIterator calib = StageData.calibrationBatches(c, ops.datasets());
    int batch = c.batch("CALIBRATE");
    int images = c.integer("EVALUATE.REPORT_IMAGES");
    if (images < 0) {
      throw new MrtException("EVALUATE.REPORT_IMAGES: expected a count >= 0, found " + images);
    }
    int batches = (int) ((images + (long) batch - 1) / batch);
    BatchIterator test = BatchIterator.of(StageData.dataset(c, ops.datasets(), Split.TEST, (long) batches * batch),
        StageData.preprocessing(c, ops.datasets()), batch, batches);
    Iterator<INDArray> all = Stream.concat(stream(calib), stream(test)).iterator();
    return ReportStage.run(files, StageOptions.quantize(c), all, ops);
  }

  private static Stream<INDArray> stream(BatchIterator b) {
    return StreamSupport.stream(Spliterators.spliteratorUnknownSize(b, Spliterator.ORDERED), false).map(x -> x.data());
  }

  private static void requireInput(java.nio.file.Path file, String stage) {
    if (!Files.exists(file)) {
      throw new MrtException(file + ": not found; run the " + stage + " stage first (or lower COMMON.START_AFTER)");
    }
  }

  /** The float inputs of a batch iterator, as the calibrate stage takes them. */
  private record DataIterator(io.mrt.runtime.data.BatchIterator batches) implements java.util.Iterator<org.nd4j.linalg.api.ndarray.INDArray> {
    @Override
    public boolean hasNext() {
      return batches.hasNext();
    }

    @Override
    public org.nd4j.linalg.api.ndarray.INDArray next() {
      return batches.next().data();
    }
  }
}
