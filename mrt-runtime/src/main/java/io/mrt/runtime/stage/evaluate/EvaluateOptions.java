package io.mrt.runtime.stage.evaluate;

import io.mrt.runtime.stage.StageContext;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Function;

/**
 * The options of the evaluate stage (its batches, EVALUATE.BATCH and ITER_NUM of the test set, come
 * from {@link StageContext#data()}).
 *
 * @param iterNum EVALUATE.ITER_NUM: the number of batches ({@code -1}: the whole test set; {@code 0}:
 *     the stage is skipped)
 * @param report what follows the evaluation: with EVALUATE.REPORT, writes the per-node report
 *     ({@code stage.report}) and returns its page; else empty
 */
public record EvaluateOptions(int iterNum, Function<StageContext, Optional<Path>> report) {}
