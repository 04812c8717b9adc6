package io.mrt.processor;

import io.mrt.annotations.cvm.CvmRules;
import io.mrt.annotations.text.Spelling;
import java.util.Locale;
import java.util.Optional;
import java.util.SortedSet;

/**
 * The closed set of CVM operators: the names of the table of CVM operator rules
 * ({@link CvmRules}, spec/CVM_OPS.md section 1). Anything else is rejected in {@code emits}.
 */
final class CvmOps {
  /** The operator names, sorted. */
  static final SortedSet<String> ALL = CvmRules.names();

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
