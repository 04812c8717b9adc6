package io.mrt.ops;

import io.mrt.annotations.Attr;
import io.mrt.annotations.MrtOp;
import io.mrt.api.graph.Entry;
import io.mrt.api.graph.Shape;
import io.mrt.api.hook.ForwardContext;
import io.mrt.api.hook.ForwardHook;
import io.mrt.api.hook.InferShapeHook;
import io.mrt.api.hook.LowerContext;
import io.mrt.api.hook.LowerToCvmHook;
import io.mrt.api.hook.QuantizeContext;
import io.mrt.api.hook.QuantizeHook;
import io.mrt.api.hook.Quantized;
import io.mrt.api.hook.ShapeContext;
import io.mrt.ops.support.ShapeOf;
import io.mrt.ops.support.Tensors;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * MXNet {@code expand_dims}: inserts an axis of size 1 at {@code axis} (negative counts from the
 * end of the output). Lowered to CVM {@code expand_dims}.
 */
@MrtOp(value = "expand_dims", attrs = @Attr(name = "axis", type = int.class), emits = "expand_dims")
public final class ExpandDims implements InferShapeHook, ForwardHook, QuantizeHook, LowerToCvmHook {
  /** For the registry. */
  public ExpandDims() {}

  @Override
  public List<Shape> inferShape(ShapeContext ctx) {
    Shape x = ctx.inputShape(0);
    int axis = Tensors.axis(ctx, "axis", ctx.attrs().getInt("axis"), x.rank() + 1);
    long[] d = new long[x.rank() + 1];
    for (int i = 0, j = 0; i < d.length; i++) {
      d[i] = i == axis ? 1 : x.dim(j++);
    }
    return List.of(Shape.of(d));
  }

  @Override
  public List<INDArray> forward(ForwardContext ctx) {
    return List.of(Tensors.reshapeCopy(ctx.input(0), inferShape(ShapeOf.inputs(ctx)).get(0).dims()));
  }

  /** MRT's default: the input's scale and precision pass through. */
  @Override
  public Quantized quantize(QuantizeContext ctx) {
    return ctx.keepScale();
  }

  /** CVM {@code expand_dims} (one new axis). */
  @Override
  public List<Entry> lowerToCvm(LowerContext ctx) {
    int rank = ctx.shapeOf(ctx.input(0)).rank();
    int axis = Tensors.axis(ctx, "axis", ctx.attrs().getInt("axis"), rank + 1);
    return List.of(ctx.emit("expand_dims", io.mrt.api.graph.Attrs.of("axis", String.valueOf(axis), "num_newaxis", "1"),
        ctx.input(0)));
  }
}
