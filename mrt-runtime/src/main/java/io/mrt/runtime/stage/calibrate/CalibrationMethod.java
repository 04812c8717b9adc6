package io.mrt.runtime.stage.calibrate;

/**
 * How the values observed for one node output, over every calibration batch, become its
 * threshold: a float {@code th >= 0} such that the quantize stage maps [-th, th] onto the
 * integers of the op's precision. Each method says how batches are combined.
 */
public interface CalibrationMethod {
  /** The method's name as the configuration spells it ({@code abs_max}, {@code lambda}, ...). */
  String name();

  /** A fresh observer for one node output. */
  Observer observer();

  /**
   * A fresh observer for one node output that will see at most {@code expectedValues} values in
   * all; a method may use the bound to keep less (the same threshold when the bound holds). The
   * default ignores it.
   */
  default Observer observer(long expectedValues) {
    return observer();
  }

  /** Accumulates the values of one node output; not thread-safe. */
  interface Observer {
    /** Adds the values of one batch (or one part of it), read in place. */
    void observe(ObservedValues values);

    /** Adds the values of one batch (or one part of it). */
    default void observe(double[] values) {
      observe(ObservedValues.of(values));
    }

    /** The threshold of everything observed so far; 0 when nothing (or only zeros) was observed. */
    double threshold();
  }
}
