/**
 * The stages, one package each ({@code prepare}, {@code calibrate}, {@code quantize},
 * {@code evaluate}, {@code compile}, and the per-node {@code report}), and {@code run}, the pipeline
 * that reads their options from the config and runs them. This root holds what the stages share:
 * {@link io.mrt.runtime.stage.Stage}, {@link io.mrt.runtime.stage.StageContext} and
 * {@link io.mrt.runtime.stage.StageBatches}, the layout of a model's files
 * ({@link io.mrt.runtime.stage.StageFiles}), and the quantize stage's output as the later stages read
 * it ({@link io.mrt.runtime.stage.QuantizedModel}, {@link io.mrt.runtime.stage.InputQuantization}).
 */
package io.mrt.runtime.stage;
