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
import io.mrt.ops.support.Tensors;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * MXNet {@code slice_like(data, shape_like, axes)}: the leading corner of {@code data} with the
 * sizes of {@code shape_like} on the listed axes (every axis when {@code axes} is empty, which
 * needs equal ranks); each new size must not exceed the old one.
 *
 * <p>Quantized with the data's scale and precision (only the shape of {@code shape_like} is read;
 * a {@code shape_like} parameter is requantized to 8 bits so that the integer graph holds no float
 * values). MRT requantizes both inputs to a common 30-bit scale instead, which changes no value of
 * the output but widens it. Lowered to CVM {@code slice_like(axis)}.
 */
@MrtOp(value = "slice_like", attrs = @Attr(name = "axes", type = int[].class, defaultValue = "()"),
    emits = "slice_like")
public final class SliceLike implements InferShapeHook, ForwardHook, QuantizeHook, LowerToCvmHook {
  /** For the registry. */
  public SliceLike() {}

  /** The output shape of {@code data} sliced like {@code like}. */
  private static Shape out(OpContext ctx, Shape data, Shape like) {
    int[] axes = ctx.attrs().getInts("axes");
    long[] out = data.dims();
    if (axes.length == 0) {
      if (like.rank() != data.rank()) {
        throw ctx.error("with no axes, data " + data + " and shape_like " + like + " must have the same rank");
      }
      for (int i = 0; i < out.length; i++) {
        out[i] = like.dim(i);
      }
    } else {
      for (int a : axes) {
        int ax = Tensors.axis(ctx, "axes", a, data.rank());
        if (ax >= like.rank()) {
          throw ctx.error("axis " + a + " is out of range for shape_like " + like);
        }
        out[ax] = like.dim(ax);
      }
    }
    for (int i = 0; i < out.length; i++) {
      if (out[i] > data.dim(i)) {
        throw ctx.error("shape_like " + like + " is larger than data " + data + " on axis " + i);
      }
    }
    return Shape.of(out);
  }

  @Override
  public List<Shape> inferShape(ShapeContext ctx) {
    if (ctx.inputShapes().size() != 2) {
      throw ctx.error("expected 2 inputs (data, shape_like), found " + ctx.inputShapes().size());
    }
    return List.of(out(ctx, ctx.inputShape(0), ctx.inputShape(1)));
  }

  @Override
  public List<INDArray> forward(ForwardContext ctx) {
    INDArray x = ctx.input(0);
    long[] out = out(ctx, Tensors.shape(x), Tensors.shape(ctx.input(1))).dims();
    long[] step = new long[out.length];
    java.util.Arrays.fill(step, 1);
    return List.of(Tensors.stridedSlice(x, new long[out.length], step, out));
  }

  /** The data's scale and precision; a {@code shape_like} parameter requantized to 8 bits. */
  @Override
  public Quantized quantize(QuantizeContext ctx) {
    Entry like = ctx.input(1);
    if (ctx.isParam(like)) {
      like = ctx.requantParameter(like, 8, Double.NaN).output();
    }
    Quantized x = ctx.quantized(ctx.input(0));
    return new Quantized(ctx.rebuild(x.output(), like), x.scale(), x.precision());
  }

  /** CVM {@code slice_like(axis)}, the axes normalized. */
  @Override
  public List<Entry> lowerToCvm(LowerContext ctx) {
    Shape data = ctx.shapeOf(ctx.input(0));
    out(ctx, data, ctx.shapeOf(ctx.input(1)));
    int[] axes = ctx.attrs().getInts("axes");
    int[] norm = new int[axes.length];
    for (int i = 0; i < axes.length; i++) {
      norm[i] = Tensors.axis(ctx, "axes", axes[i], data.rank());
    }
    return List.of(ctx.emit("slice_like", Attrs.of("axis", Lowering.tuple(norm)), ctx.input(0), ctx.input(1)));
  }
}
