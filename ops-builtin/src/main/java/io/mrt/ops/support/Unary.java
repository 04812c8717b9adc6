package io.mrt.ops.support;

import io.mrt.api.graph.Shape;
import io.mrt.api.hook.ShapeContext;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Shared code of the element-wise unary ops. */
public final class Unary {
  private Unary() {}

  /** A float function of one float. */
  @FunctionalInterface
  public interface FloatFn {
    float apply(float v);
  }

  /** One input, output of the same shape. */
  public static List<Shape> shape(ShapeContext ctx) {
    if (ctx.inputShapes().size() != 1) {
      throw ctx.error("expected 1 input, found " + ctx.inputShapes().size());
    }
    return List.of(ctx.inputShape(0));
  }

  /** A new float32 array with {@code fn} applied to every element. */
  public static INDArray map(INDArray x, FloatFn fn) {
    float[] v = Tensors.floats(x);
    for (int i = 0; i < v.length; i++) {
      v[i] = fn.apply(v[i]);
    }
    return Tensors.of(v, x.shape());
  }
}
