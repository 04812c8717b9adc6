package io.mrt.ops;

import io.mrt.annotations.MrtOp;
import io.mrt.api.graph.Shape;
import io.mrt.api.hook.ForwardContext;
import io.mrt.api.hook.ForwardHook;
import io.mrt.api.hook.InferShapeHook;
import io.mrt.api.hook.ShapeContext;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * MXNet's broadcasting binary ops: {@code broadcast_add}, {@code broadcast_sub},
 * {@code broadcast_mul}, {@code broadcast_div}, {@code broadcast_maximum},
 * {@code broadcast_minimum}, {@code broadcast_greater}. Shapes broadcast numpy-style (trailing
 * axes aligned, a 1 stretches).
 */
@MrtOp(value = {"broadcast_add", "broadcast_sub", "broadcast_mul", "broadcast_div", "broadcast_maximum",
    "broadcast_minimum", "broadcast_greater"},
    emits = {"broadcast_add", "broadcast_sub", "broadcast_mul", "broadcast_div", "broadcast_max",
        "broadcast_greater"}, inputPrecision = 16)
public final class BroadcastOps implements InferShapeHook, ForwardHook {
  /** For the registry. */
  public BroadcastOps() {}

  @Override
  public List<Shape> inferShape(ShapeContext ctx) {
    if (ctx.inputShapes().size() != 2) {
      throw ctx.error("expects 2 inputs, found " + ctx.inputShapes().size());
    }
    return List.of(Broadcasting.shape(ctx, ctx.inputShape(0), ctx.inputShape(1)));
  }

  @Override
  public List<INDArray> forward(ForwardContext ctx) {
    INDArray a = ctx.input(0);
    INDArray b = ctx.input(1);
    Shape out = Broadcasting.shape(ctx, Shape.of(a.shape()), Shape.of(b.shape()));
    INDArray x = stretch(a, out);
    INDArray y = stretch(b, out);
    INDArray r = switch (ctx.node().op()) {
      case "broadcast_add" -> x.add(y);
      case "broadcast_sub" -> x.sub(y);
      case "broadcast_mul" -> x.mul(y);
      case "broadcast_div" -> x.div(y);
      case "broadcast_maximum" -> Transforms.max(x, y, true);
      case "broadcast_minimum" -> Transforms.min(x, y, true);
      case "broadcast_greater" -> x.gt(y).castTo(x.dataType());
      default -> throw ctx.error("not a broadcast op");
    };
    return List.of(r);
  }

  /** {@code a} broadcast to {@code shape} (a view or copy with exactly that shape). */
  static INDArray stretch(INDArray a, Shape shape) {
    long[] target = shape.dims();
    if (java.util.Arrays.equals(a.shape(), target)) {
      return a;
    }
    long[] padded = new long[target.length];
    int off = target.length - a.rank();
    for (int i = 0; i < target.length; i++) {
      padded[i] = i < off ? 1 : a.size(i - off);
    }
    INDArray r = a.rank() == target.length ? a : a.reshape(padded);
    return r.broadcast(target);
  }
}
