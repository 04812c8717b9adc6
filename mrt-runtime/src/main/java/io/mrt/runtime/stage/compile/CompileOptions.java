package io.mrt.runtime.stage.compile;

/**
 * The options of the compile stage.
 *
 * @param batch COMPILE.BATCH: the input batch the CVM model is compiled for (and the images of
 *     {@code data.npy})
 */
public record CompileOptions(int batch) {}
