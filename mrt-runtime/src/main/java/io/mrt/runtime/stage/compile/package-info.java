/**
 * The compile stage ({@link io.mrt.runtime.stage.compile.CompileStage}): the quantized graph lowered
 * to CVM operators ({@link io.mrt.runtime.stage.compile.CvmCompiler}, which evaluate and the report
 * use too) and written as a CVM model with its first data batch.
 */
package io.mrt.runtime.stage.compile;
