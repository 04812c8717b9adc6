package io.mrt.processor;

import io.mrt.annotations.text.Spelling;
import java.util.Locale;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The closed set of CVM operators: the 37 operators of the table in spec/CVM_OPS.md section 1,
 * all registered in the reference runtime. Anything else is rejected in {@code emits}.
 */
final class CvmOps {
  /** The operator names, sorted. */
  static final SortedSet<String> ALL = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(java.util.List.of(
      "dense", "conv2d", "max_pool2d", "upsampling", "relu", "abs", "negative", "cvm_precision",
      "elemwise_add", "elemwise_sub", "clip", "cvm_clip", "cvm_left_shift", "cvm_right_shift",
      "flatten", "reshape", "expand_dims", "squeeze", "transpose", "strided_slice", "concatenate",
      "repeat", "tile", "take", "cvm_lut", "slice_like", "where", "broadcast_add", "broadcast_sub",
      "broadcast_mul", "broadcast_max", "broadcast_div", "broadcast_greater", "sum", "max",
      "get_valid_counts", "non_max_suppression")));

  private CvmOps() {}

  static boolean contains(String op) {
    return ALL.contains(op);
  }

  /**
   * The CVM operator closest to a misspelt name: equal ignoring case, or within two edits (the
   * first such in sorted order); empty if nothing is close.
   */
  static Optional<String> suggest(String op) {
    return Optional.ofNullable(Spelling.closest(op.toLowerCase(Locale.ROOT), ALL, 2));
  }
}
