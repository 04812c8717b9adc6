package io.mrt.runtime.stage.prepare;

import io.mrt.runtime.stage.StageContext;

/**
 * The options of the prepare stage (the input shape and the split keys are the model's own, in
 * {@link StageContext}).
 *
 * @param format COMMON.MODEL_FORMAT: {@code mxnet}, {@code onnx} or {@code auto} (from the files)
 */
public record PrepareOptions(String format) {}
