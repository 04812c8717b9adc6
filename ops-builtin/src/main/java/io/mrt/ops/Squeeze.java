package io.mrt.ops;

import io.mrt.annotations.Attr;
import io.mrt.annotations.MrtOp;
import io.mrt.api.graph.Attrs;
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
import io.mrt.ops.support.Lowering;
import io.mrt.ops.support.ShapeOf;
import io.mrt.ops.support.Tensors;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * MXNet {@code squeeze}: removes the given axes (each must have size 1), or every axis of size 1
 * when {@code axis} is None. Removing every axis leaves shape (1,), as MXNet does. Lowered to
 * CVM {@code squeeze}.
 */
@MrtOp(value = "squeeze", attrs = @Attr(name = "axis", type = int[].class, defaultValue = "None"),
    emits = "squeeze")
public final class Squeeze implements InferShapeHook, ForwardHook, QuantizeHook, LowerToCvmHook {
  /** For the registry. */
  public Squeeze() {}

  @Override
  public List<Shape> inferShape(ShapeContext ctx) {
    Shape x = ctx.inputShape(0);
    boolean[] drop = new boolean[x.rank()];
    String raw = ctx.attrs().getString("axis");
    if (Attrs.isNone(raw)) {
      for (int i = 0; i < x.rank(); i++) {
        drop[i] = x.dim(i) == 1;
      }
    } else {
      for (int a : ctx.attrs().getInts("axis")) {
        int ax = Tensors.axis(ctx, "axis", a, x.rank());
        if (x.dim(ax) != 1) {
          throw ctx.error("cannot squeeze axis " + ax + " of size " + x.dim(ax) + " (input " + x + ")");
        }
        drop[ax] = true;
      }
    }
    List<Long> d = new ArrayList<>();
    for (int i = 0; i < x.rank(); i++) {
      if (!drop[i]) {
        d.add(x.dim(i));
      }
    }
    if (d.isEmpty()) {
      d.add(1L);
    }
    return List.of(Shape.of(d.stream().mapToLong(Long::longValue).toArray()));
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

  /** CVM {@code squeeze} with the explicit axes removed. */
  @Override
  public List<Entry> lowerToCvm(LowerContext ctx) {
    Shape x = ctx.shapeOf(ctx.input(0));
    java.util.List<Integer> axes = new java.util.ArrayList<>();
    String raw = ctx.attrs().getString("axis");
    if (Attrs.isNone(raw)) {
      for (int i = 0; i < x.rank(); i++) {
        if (x.dim(i) == 1) {
          axes.add(i);
        }
      }
    } else {
      for (int a : ctx.attrs().getInts("axis")) {
        axes.add(Tensors.axis(ctx, "axis", a, x.rank()));
      }
    }
    return List.of(ctx.emit("squeeze", io.mrt.api.graph.Attrs.of("axis",
        Lowering.tuple(axes.stream().mapToInt(Integer::intValue).toArray())), ctx.input(0)));
  }
}
