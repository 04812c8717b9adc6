/**
 * The quantize stage (MRT V3's {@code quantize}, spec MRT_PIPELINE.md section 4): from a
 * calibrated float graph to an integer graph whose every node carries its precision.
 *
 * <p>{@link io.mrt.runtime.stage.quantize.QuantizePass} walks the graph in topological order and
 * calls each op's {@code QuantizeHook} with a context that provides MRT's requantization
 * primitives (requantize, requantParameter, realize, cvm_float, lookup tables); it then adds the
 * tight-precision clip, restores the RESTORE_NAMES nodes to float, requantizes the outputs to
 * OUTPUT_PRECISION and runs {@link io.mrt.runtime.stage.quantize.PrecisionCheck}, the CVM
 * precision rules, refusing any node above 32 bits. {@link io.mrt.runtime.stage.quantize.QuantizeStage}
 * is the file-to-file entry point; {@link io.mrt.runtime.stage.quantize.ModelMerger} puts a
 * quantized base back under its float top (split models).
 */
package io.mrt.runtime.stage.quantize;
