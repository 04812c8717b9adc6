package io.mrt.api.hook;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The context of {@link ForwardHook}: the float32 input values. Inputs must not be written. */
public interface ForwardContext extends OpContext {
  /** The input values, in input order. */
  List<INDArray> inputs();

  /** Input {@code i}. */
  default INDArray input(int i) {
    return inputs().get(i);
  }
}
