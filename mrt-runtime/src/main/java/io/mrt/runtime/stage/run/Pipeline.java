package io.mrt.runtime.stage.run;

import io.mrt.runtime.config.MrtConfig;
import io.mrt.runtime.registry.OpTable;
import io.mrt.runtime.stage.compile.CompileStage;
import io.mrt.runtime.stage.evaluate.EvalResult;
import io.mrt.runtime.stage.evaluate.EvaluateStage;
import io.mrt.runtime.stage.StageFiles;
import io.mrt.runtime.stage.prepare.PrepareStage;
import io.mrt.runtime.stage.Stage;
import io.mrt.runtime.stage.StageContext;
import io.mrt.runtime.stage.calibrate.CalibrateStage;
import io.mrt.runtime.stage.quantize.QuantizeStage;
import io.mrt.runtime.stage.report.ReportStage;
import java.io.PrintWriter;
import java.io.Writer;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the stages a config asks for, as MRT V3's {@code execute.run}: with PASS_NAME {@code all},
 * prepare, calibrate, quantize, then evaluate (RUN_EVALUATE) and compile (RUN_COMPILE), skipping
 * the stages up to START_AFTER (their saved files are read instead); otherwise the one stage named.
 * What the pipeline knows of a stage is its {@link Step}: the stage, how its options are read from
 * the config, and the config keys around it.
 */
public final class Pipeline {
  private static final Logger LOG = LoggerFactory.getLogger(Pipeline.class);

  /**
   * One stage as the pipeline runs it.
   *
   * @param stage the stage
   * @param options reads the stage's options from the config (when the stage is about to run)
   * @param runKey the key that PASS_NAME {@code all} asks before running the stage
   *     ({@code COMMON.RUN_EVALUATE}), or null: always run
   * @param readsDataset whether the stage reads the data set (an unknown DATASET_NAME then stops
   *     the run before any stage writes a file)
   * @param batchSection the config section whose BATCH the stage works with (named when it runs
   *     out of memory), or null
   */
  record Step<O, R>(Stage<O, R> stage, Function<MrtConfig, O> options, String runKey, boolean readsDataset,
      String batchSection) {
    String name() {
      return stage.name();
    }

    /** Runs the stage with its options; empty when it skipped itself (the reason printed). */
    Optional<R> run(MrtConfig c, StageContext context) {
      O o = options.apply(c);
      Optional<String> skipped = stage.skipped(o);
      if (skipped.isPresent()) {
        context.out().println(skipped.get());
        return Optional.empty();
      }
      return Optional.of(stage.run(context, o));
    }
  }

  /** The stages in order. */
  static final List<Step<?, ?>> STEPS = List.of(
      new Step<>(PrepareStage.STAGE, StageOptions::prepare, null, false, null),
      new Step<>(CalibrateStage.STAGE, StageOptions::calibrate, null, true, "CALIBRATE"),
      new Step<>(QuantizeStage.STAGE, StageOptions::quantize, null, false, null),
      new Step<>(EvaluateStage.STAGE, StageOptions::evaluate, "COMMON.RUN_EVALUATE", true, "EVALUATE"),
      new Step<>(CompileStage.STAGE, StageOptions::compile, "COMMON.RUN_COMPILE", true, "COMPILE"));

  /** The names of the stages in order. */
  public static final List<String> STAGES = STEPS.stream().map(Step::name).toList();

  private Pipeline() {}

  /** What a run produced. */
  public record Outcome(List<String> ran, Optional<EvalResult> evaluation, Optional<CompileStage.Result> compiled) {}

  /** Runs the stages of {@code c}; progress and results go to {@code out}. */
  public static Outcome run(MrtConfig c, OpTable ops, PrintWriter out) {
    String pass = c.passName();
    List<Step<?, ?>> todo;
    if (pass.equals("all")) {
      int from = c.startAfter().equals("initial") ? 0 : STAGES.indexOf(c.startAfter()) + 1;
      todo = STEPS.subList(from, STEPS.size()).stream().filter(s -> s.runKey() == null || c.bool(s.runKey())).toList();
    } else {
      todo = STEPS.stream().filter(s -> s.name().equals(pass)).toList();
      if (todo.isEmpty()) {
        throw new io.mrt.runtime.MrtException("unknown stage " + pass);
      }
    }
    if (todo.stream().anyMatch(Step::readsDataset)) {
      // an unknown DATASET_NAME stops the run before any stage writes a file
      ops.datasets().find(c.string("CALIBRATE.DATASET_NAME"));
    }
    Map<Stage<?, ?>, Object> results = new IdentityHashMap<>();
    for (Step<?, ?> step : todo) {
      long t0 = System.nanoTime();
      out.println("== " + step.name() + " " + c.modelName());
      out.flush();
      Optional<?> r;
      try {
        r = step.run(c, context(c, ops, out));
      } catch (OutOfMemoryError e) {
        throw StageMemory.exhausted(step.name(), step.batchSection(), c, e);
      }
      if (r.isEmpty()) {
        continue;
      }
      results.put(step.stage(), r.get());
      LOG.info("{} {} took {} ms", step.name(), c.modelName(), (System.nanoTime() - t0) / 1_000_000);
      out.flush();
    }
    return new Outcome(todo.stream().map(Step::name).toList(),
        Optional.ofNullable((EvalResult) results.get(EvaluateStage.STAGE)),
        Optional.ofNullable((CompileStage.Result) results.get(CompileStage.STAGE)));
  }

  /** Runs one stage with the options of {@code c}, as {@link #run} does (without the heading line). */
  public static <O, R> R run(Stage<O, R> stage, MrtConfig c, OpTable ops, PrintWriter out) {
    Step<?, ?> step = STEPS.stream().filter(s -> s.stage() == stage).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("not a pipeline stage: " + stage.name()));
    @SuppressWarnings("unchecked")
    Step<O, R> typed = (Step<O, R>) step;
    O o = typed.options().apply(c);
    return stage.run(context(c, ops, out), o);
  }

  /**
   * The per-node quantization report: the calibration batches, then EVALUATE.REPORT_IMAGES test
   * images in batches of CALIBRATE.BATCH, through the float and the quantized graph.
   */
  public static ReportStage.Result report(MrtConfig c, OpTable ops) {
    return ReportStage.run(context(c, ops, new PrintWriter(Writer.nullWriter())), StageOptions.report(c));
  }

  /** What the stages of the model {@code c} describes work with. */
  static StageContext context(MrtConfig c, OpTable ops, PrintWriter out) {
    return new StageContext(StageFiles.of(c), c.ints("PREPARE.INPUT_SHAPE"), c.strings("PREPARE.SPLIT_KEYS"), ops,
        StageData.batches(c, ops.datasets()), out);
  }
}
