/**
 * The prepare stage ({@link io.mrt.runtime.stage.prepare.PrepareStage}): reads the original model
 * (MXNet or ONNX), runs MRT V3's prepare passes ({@link io.mrt.runtime.stage.prepare.PreparePasses},
 * in MRT's order, over the graph passes of {@code pass}) and writes the fixed, prepared and split
 * models.
 */
package io.mrt.runtime.stage.prepare;
