package io.mrt.processor;

import java.util.Set;

/** The closed set of CVM operators (spec CVM_OPS.md, 37 operators). */
final class CvmOps {
  static final Set<String> ALL = Set.of(
      "dense", "conv2d", "max_pool2d", "upsampling", "relu", "abs", "negative", "cvm_precision",
      "elemwise_add", "elemwise_sub", "clip", "cvm_clip", "cvm_left_shift", "cvm_right_shift",
      "flatten", "reshape", "expand_dims", "squeeze", "transpose", "strided_slice", "concatenate",
      "repeat", "tile", "sum", "max", "broadcast_add", "broadcast_sub", "broadcast_mul",
      "broadcast_div", "broadcast_max", "broadcast_greater", "slice_like", "take", "where",
      "cvm_lut", "get_valid_counts", "non_max_suppression");

  private CvmOps() {}
}
