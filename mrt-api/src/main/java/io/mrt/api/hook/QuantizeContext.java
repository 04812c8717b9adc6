package io.mrt.api.hook;

import io.mrt.api.graph.Entry;
import java.util.List;

/**
 * The context of {@link QuantizeHook}: the node's inputs in the integer graph, with their scales,
 * precisions and float thresholds, and MRT's requantization primitives.
 *
 * <p>An integer entry {@code q} stands for the float {@code q / scale}; its values fit
 * {@code precision} bits (|q| <= 2^(p-1)-1).
 */
public interface QuantizeContext extends OpContext, GraphBuilder {
  /** The input entries in the integer graph. */
  List<Entry> inputs();

  /** Input {@code i}. */
  default Entry input(int i) {
    return inputs().get(i);
  }

  /** The float threshold (calibrated abs-max) of input {@code i}. */
  double inputThreshold(int i);

  /** The float threshold of the node's output {@code 0}. */
  double outputThreshold();

  /** The scale of an integer entry. */
  double scale(Entry e);

  /** The precision (bits) of an integer entry. */
  int precision(Entry e);

  /** The float threshold of an integer entry. */
  double threshold(Entry e);

  /** The requantization bit budget (SHIFT_BITS). */
  int shiftBits();

  /**
   * Requantizes input {@code i} to {@code precision} bits: a parameter is re-rounded (round half
   * away from zero, clip); an operator output is multiplied by an integer, shifted right with
   * rounding and clipped. {@code scale} is the exact scale wanted, or {@code NaN} for MRT's default
   * {@code (2^(p-1)-1)/threshold}.
   */
  Entry requantize(int i, int precision, double scale);

  /** Records scale, precision and threshold of an entry that the hook created. */
  void describe(Entry e, double scale, int precision, double threshold);
}
