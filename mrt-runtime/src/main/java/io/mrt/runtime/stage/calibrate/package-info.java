/**
 * The calibrate stage (MRT V3's {@code calibrate}, spec MRT_PIPELINE.md section 3): runs the
 * prepared float model on NUM_CALIB batches and records one threshold per node output.
 *
 * <p>A {@link io.mrt.runtime.stage.calibrate.CalibrationMethod} turns the values a node produced
 * over <em>all</em> batches into its threshold (MRT V3 keeps only the last batch; this stage
 * combines them, as each method documents): abs-max, MRT's lambda outlier rule, a percentile of
 * |x|, and TensorRT-style KL-entropy over a histogram of |x|.
 * {@link io.mrt.runtime.stage.calibrate.Calibrator} drives the float executor and the ops'
 * calibrate hooks; {@link io.mrt.runtime.stage.calibrate.CalibrateStage} is the file-to-file
 * entry point.
 */
package io.mrt.runtime.stage.calibrate;
