package io.mrt.api.hook;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The context of {@link ForwardHook}: the float32 input values. Inputs must not be written, except
 * an input for which {@link #mayOverwrite} is true.
 */
public interface ForwardContext extends OpContext {
  /** The input values, in input order. */
  List<INDArray> inputs();

  /** Input {@code i}. */
  default INDArray input(int i) {
    return inputs().get(i);
  }

  /**
   * True when nothing reads input {@code i} after this hook (no later node, no graph output, no
   * observer of this node's inputs, no other input of this node shares its memory): the hook may
   * then write its result into that array and return it. False by default.
   */
  default boolean mayOverwrite(int i) {
    return false;
  }

  /**
   * True when the caller accepts outputs whose strides are not row-major: an array of the
   * output's shape that covers its whole buffer in another order, such as an NCHW-shaped view of
   * an NHWC buffer ({@code nhwc.permute(0, 3, 1, 2)}). The float executor allows it only when
   * every reader of the output is a built-in op that reads such arrays, and makes a row-major copy
   * before anything else sees the values. False by default: outputs are row-major.
   */
  default boolean mayKeepLayout() {
    return false;
  }
}
