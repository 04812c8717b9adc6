package io.mrt.runtime.stage;

import java.util.Optional;

/**
 * One stage of the pipeline: prepare, calibrate, quantize, evaluate or compile. A stage is a
 * function from the files of the stages before it to its own files, driven by its options record
 * (which {@code stage.run.StageOptions} reads from the config: a stage never reads the config). The
 * pipeline ({@code stage.run.Pipeline}) runs a list of stages and knows nothing of any one of them.
 *
 * @param <O> the stage's options record
 * @param <R> what the stage returns
 */
public interface Stage<O, R> {
  /** The name COMMON.PASS_NAME and COMMON.START_AFTER use: {@code prepare}, {@code calibrate}, ... */
  String name();

  /**
   * Why the stage does nothing with these options (a line for the user, e.g. {@code evaluate
   * skipped (EVALUATE.ITER_NUM is 0)}), or empty when it runs.
   */
  default Optional<String> skipped(O options) {
    return Optional.empty();
  }

  /**
   * Runs the stage: checks that the files it reads exist (naming the stage that writes them), reads
   * them, writes its own; the lines for the user go to {@link StageContext#out()}.
   */
  R run(StageContext context, O options);
}
