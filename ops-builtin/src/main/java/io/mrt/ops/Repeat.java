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
import io.mrt.api.hook.OpContext;
import io.mrt.api.hook.QuantizeContext;
import io.mrt.api.hook.QuantizeHook;
import io.mrt.api.hook.Quantized;
import io.mrt.api.hook.ShapeContext;
import io.mrt.ops.support.Lowering;
import io.mrt.ops.support.ShapeOf;
import io.mrt.ops.support.Tensors;
import io.mrt.ops.support.Unary;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * MXNet {@code repeat(repeats, axis)}: every element repeated {@code repeats} times in a row along
 * {@code axis}; with {@code axis=None} the input is flattened first (a 1-D output). Quantized as
 * MRT does by default (the input's scale and precision pass through); lowered to CVM
 * {@code repeat(repeats, axis)}, after a {@code reshape} to one axis when {@code axis} is None.
 */
@MrtOp(value = "repeat",
    attrs = {
        @Attr(name = "repeats", type = int.class),
        @Attr(name = "axis", type = int.class, defaultValue = "None")},
    emits = {"repeat", "reshape"})
public final class Repeat implements InferShapeHook, ForwardHook, QuantizeHook, LowerToCvmHook {
  /** For the registry. */
  public Repeat() {}

  private static int repeats(OpContext ctx) {
    int r = ctx.attrs().getInt("repeats");
    if (r < 1) {
      throw ctx.error("attribute 'repeats' must be >= 1, found " + r);
    }
    return r;
  }

  /** The axis, or -1 for None (flatten first). */
  private static int axis(OpContext ctx, int rank) {
    String raw = ctx.attrs().getString("axis");
    return Attrs.isNone(raw) ? -1 : Tensors.axis(ctx, "axis", ctx.attrs().getInt("axis"), rank);
  }

  @Override
  public List<Shape> inferShape(ShapeContext ctx) {
    Shape x = Unary.shape(ctx).get(0);
    int r = repeats(ctx);
    int a = axis(ctx, x.rank());
    return List.of(a < 0 ? Shape.of(x.size() * r) : x.withDim(a, x.dim(a) * r));
  }

  @Override
  public List<INDArray> forward(ForwardContext ctx) {
    INDArray input = ctx.input(0);
    Shape xs = Tensors.shape(input);
    int r = repeats(ctx);
    int a = axis(ctx, xs.rank());
    float[] x = Tensors.floats(input);
    long[] out = inferShape(ShapeOf.inputs(ctx)).get(0).dims();
    float[] y = new float[Math.toIntExact(Tensors.size(out))];
    // outer x (dim * r) x inner blocks; flattening (axis None) is axis 0 of a 1-D input
    long dim = a < 0 ? xs.size() : xs.dim(a);
    long inner = 1;
    long outer = 1;
    if (a >= 0) {
      for (int i = a + 1; i < xs.rank(); i++) {
        inner *= xs.dim(i);
      }
      for (int i = 0; i < a; i++) {
        outer *= xs.dim(i);
      }
    }
    int k = 0;
    for (long o = 0; o < outer; o++) {
      for (long d = 0; d < dim * r; d++) {
        long src = (o * dim + d / r) * inner;
        for (long i = 0; i < inner; i++) {
          y[k++] = x[(int) (src + i)];
        }
      }
    }
    return List.of(Tensors.of(y, out));
  }

  /** MRT's default: the input's scale and precision pass through. */
  @Override
  public Quantized quantize(QuantizeContext ctx) {
    return ctx.keepScale();
  }

  /** CVM {@code repeat(repeats, axis)}; with axis None a {@code reshape} to one axis first. */
  @Override
  public List<Entry> lowerToCvm(LowerContext ctx) {
    Shape x = ctx.shapeOf(ctx.input(0));
    int a = axis(ctx, x.rank());
    Entry in = ctx.input(0);
    if (a < 0) {
      in = x.rank() == 1 ? in : ctx.emit("reshape", Attrs.of("shape", Lowering.tuple(x.size())), in);
      a = 0;
    }
    return List.of(ctx.emit("repeat", Attrs.of("repeats", String.valueOf(repeats(ctx)), "axis", String.valueOf(a)), in));
  }
}
