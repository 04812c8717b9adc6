package io.mrt.ops.support;

import io.mrt.api.graph.Entry;
import io.mrt.api.hook.GraphBuilder;
import org.nd4j.linalg.factory.Nd4j;

/** Constant parameters that rewrites create (MRT's {@code nd_const}: a float of shape (1,)). */
public final class Consts {
  private Consts() {}

  /** A new parameter of shape (1,) holding {@code value} in float32. */
  public static Entry scalar(GraphBuilder b, String nameHint, double value) {
    return b.param(nameHint, Nd4j.createFromArray(new float[] {(float) value}).reshape(1)).out();
  }
}
