/**
 * The evaluate stage ({@link io.mrt.runtime.stage.evaluate.EvaluateStage}): the float model against
 * the compiled integer model on the CVM executor, batch by batch on overlapping threads
 * ({@link io.mrt.runtime.stage.evaluate.Evaluator}), with top-1, top-5, their agreement and the data
 * set's own metric ({@link io.mrt.runtime.stage.evaluate.EvalResult}).
 */
package io.mrt.runtime.stage.evaluate;
