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
import io.mrt.api.hook.RewriteContext;
import io.mrt.api.hook.RewriteHook;
import io.mrt.api.hook.ShapeContext;
import io.mrt.ops.support.Lowering;
import io.mrt.ops.support.Tensors;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * MXNet {@code slice_axis}: {@code begin:end} along one axis (negative values count from the end,
 * {@code end=None} is the axis size). Rewritten into {@code slice}; lowered to CVM
 * {@code strided_slice}.
 */
@MrtOp(value = "slice_axis",
    attrs = {
        @Attr(name = "axis", type = int.class),
        @Attr(name = "begin", type = long.class),
        @Attr(name = "end", type = long.class, defaultValue = "None")},
    emits = "strided_slice")
public final class SliceAxis implements InferShapeHook, ForwardHook, RewriteHook, QuantizeHook, LowerToCvmHook {
  /** For the registry. */
  public SliceAxis() {}

  /** The axis, begin and end, checked against the input shape. */
  static long[] bounds(OpContext ctx, Shape x) {
    int axis = Tensors.axis(ctx, "axis", ctx.attrs().getInt("axis"), x.rank());
    long size = x.dim(axis);
    long begin = ctx.attrs().getLong("begin");
    String rawEnd = ctx.attrs().getString("end");
    long end = Attrs.isNone(rawEnd) ? size : ctx.attrs().getLong("end");
    if (begin < 0) {
      begin += size;
    }
    if (end < 0) {
      end += size;
    }
    if (begin < 0 || end > size || begin >= end) {
      throw ctx.error("range " + ctx.attrs().getString("begin") + ":" + rawEnd + " is empty or out of bounds for axis "
          + axis + " of size " + size);
    }
    return new long[] {axis, begin, end};
  }

  @Override
  public List<Shape> inferShape(ShapeContext ctx) {
    Shape x = ctx.inputShape(0);
    long[] b = bounds(ctx, x);
    return List.of(x.withDim((int) b[0], b[2] - b[1]));
  }

  @Override
  public List<INDArray> forward(ForwardContext ctx) {
    INDArray x = ctx.input(0);
    Shape xs = Tensors.shape(x);
    long[] b = bounds(ctx, xs);
    long[] begin = new long[xs.rank()];
    long[] step = new long[xs.rank()];
    java.util.Arrays.fill(step, 1);
    begin[(int) b[0]] = b[1];
    return List.of(Tensors.stridedSlice(x, begin, step, xs.withDim((int) b[0], b[2] - b[1]).dims()));
  }

  @Override
  public List<Entry> rewrite(RewriteContext ctx) {
    return ShapeRewrites.sliceAxis(ctx);
  }

  /** MRT's default: the input's scale and precision pass through. */
  @Override
  public Quantized quantize(QuantizeContext ctx) {
    return ctx.keepScale();
  }

  /** CVM {@code strided_slice} with explicit bounds on every axis. */
  @Override
  public List<Entry> lowerToCvm(LowerContext ctx) {
    Shape x = ctx.shapeOf(ctx.input(0));
    long[] b = bounds(ctx, x);
    long[] begin = new long[x.rank()];
    long[] step = new long[x.rank()];
    long[] out = x.dims();
    java.util.Arrays.fill(step, 1);
    begin[(int) b[0]] = b[1];
    out[(int) b[0]] = b[2] - b[1];
    return Lowering.stridedSlice(ctx, begin, step, out);
  }
}
