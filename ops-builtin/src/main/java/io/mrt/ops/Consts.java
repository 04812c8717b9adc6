package io.mrt.ops;

import io.mrt.api.graph.Entry;
import io.mrt.api.hook.GraphBuilder;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Constant parameters that rewrites create (MRT's {@code nd_const}: a float of shape (1,)). */
final class Consts {
  private Consts() {}

  /** A new parameter of shape (1,) holding {@code value} in float32. */
  static Entry scalar(GraphBuilder b, String nameHint, double value) {
    return b.param(nameHint, Nd4j.createFromArray(new float[] {(float) value}).reshape(1)).out();
  }

  /** {@code value} as float64 (for exact folding arithmetic), never a view of the input. */
  static INDArray f64(INDArray value) {
    return value.castTo(DataType.DOUBLE).dup();
  }
}
