package io.mrt.ops;

import io.mrt.annotations.MrtOp;
import org.nd4j.linalg.api.ndarray.INDArray;

/** MXNet {@code elemwise_sub}: the difference of two arrays of the same shape; CVM {@code elemwise_sub}. */
@MrtOp(value = {"elemwise_sub", "_minus", "_sub", "_Minus"}, emits = "elemwise_sub", inputPrecision = 16)
public final class ElemwiseSub extends ElemwiseBinary {
  /** For the registry. */
  public ElemwiseSub() {
    super("elemwise_sub", INDArray::sub);
  }
}
