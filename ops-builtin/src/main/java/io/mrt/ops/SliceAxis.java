package io.mrt.ops;

import io.mrt.annotations.Attr;
import io.mrt.annotations.MrtOp;
import io.mrt.api.graph.Attrs;
import io.mrt.api.graph.Entry;
import io.mrt.api.graph.Shape;
import io.mrt.api.hook.ForwardContext;
import io.mrt.api.hook.ForwardHook;
import io.mrt.api.hook.InferShapeHook;
import io.mrt.api.hook.OpContext;
import io.mrt.api.hook.RewriteContext;
import io.mrt.api.hook.RewriteHook;
import io.mrt.api.hook.ShapeContext;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * MXNet {@code slice_axis}: elements {@code [begin, end)} of one axis ({@code end = None} means the
 * whole axis; negative bounds count from the end). Rewritten in prepare into {@code slice} with
 * {@code None} bounds on the other axes, which CVM's {@code strided_slice} handles.
 */
@MrtOp(value = "slice_axis",
    attrs = {
        @Attr(name = "axis", type = int.class),
        @Attr(name = "begin", type = int.class),
        @Attr(name = "end", type = String.class, defaultValue = "None")})
public final class SliceAxis implements InferShapeHook, ForwardHook, RewriteHook {
  /** For the registry. */
  public SliceAxis() {}

  /** {axis, begin, end} normalized against the input shape. */
  static long[] bounds(OpContext ctx, Shape x) {
    int axis = Axes.normalize(ctx, "axis", ctx.attrs().getInt("axis"), x.rank());
    long dim = x.dim(axis);
    long begin = ctx.attrs().getInt("begin");
    String e = ctx.attrs().getString("end");
    long end = Attrs.isNone(e) ? dim : Attrs.parseInt("end", e);
    begin = begin < 0 ? begin + dim : begin;
    end = end < 0 ? end + dim : end;
    if (begin < 0 || end > dim || begin >= end) {
      throw ctx.error("slice [" + ctx.attrs().getInt("begin") + ", " + e + ") is empty or out of range for axis "
          + axis + " of size " + dim);
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
    long[] b = bounds(ctx, Shape.of(x.shape()));
    INDArrayIndex[] idx = new INDArrayIndex[x.rank()];
    for (int i = 0; i < idx.length; i++) {
      idx[i] = i == b[0] ? NDArrayIndex.interval(b[1], b[2]) : NDArrayIndex.all();
    }
    return List.of(x.get(idx).dup('c'));
  }

  @Override
  public List<Entry> rewrite(RewriteContext ctx) {
    Shape x = ctx.shapeOf(ctx.input(0));
    long[] b = bounds(ctx, x);
    Integer[] begin = new Integer[x.rank()];
    Integer[] end = new Integer[x.rank()];
    begin[(int) b[0]] = (int) b[1];
    end[(int) b[0]] = (int) b[2];
    Attrs attrs = Attrs.of("begin", Axes.optionalTuple(begin), "end", Axes.optionalTuple(end));
    return List.of(ctx.op("slice", ctx.node().name(), attrs, ctx.input(0)).out());
  }
}
