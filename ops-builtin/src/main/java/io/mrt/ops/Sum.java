package io.mrt.ops;

import io.mrt.annotations.Attr;
import io.mrt.annotations.MrtOp;
import io.mrt.api.graph.Shape;
import io.mrt.api.hook.ForwardContext;
import io.mrt.api.hook.ForwardHook;
import io.mrt.api.hook.InferShapeHook;
import io.mrt.api.hook.ShapeContext;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/** MXNet {@code sum}: the sum over {@code axis} (see the reduction rules of MXNet: keepdims, exclude). */
@MrtOp(value = {"sum", "sum_axis"},
    attrs = {
        @Attr(name = "axis", type = int[].class, defaultValue = "None"),
        @Attr(name = "keepdims", type = boolean.class, defaultValue = "False"),
        @Attr(name = "exclude", type = boolean.class, defaultValue = "False")},
    emits = {"sum"})
public final class Sum implements InferShapeHook, ForwardHook {
  /** For the registry. */
  public Sum() {}

  @Override
  public List<Shape> inferShape(ShapeContext ctx) {
    return Reduce.shape(ctx);
  }

  @Override
  public List<INDArray> forward(ForwardContext ctx) {
    return Reduce.forward(ctx, Reduce.Kind.SUM);
  }
}
