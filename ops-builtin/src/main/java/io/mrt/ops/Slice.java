package io.mrt.ops;

import io.mrt.annotations.Attr;
import io.mrt.annotations.MrtOp;
import io.mrt.api.graph.Shape;
import io.mrt.api.hook.ForwardContext;
import io.mrt.api.hook.ForwardHook;
import io.mrt.api.hook.InferShapeHook;
import io.mrt.api.hook.OpContext;
import io.mrt.api.hook.ShapeContext;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * MXNet {@code slice} ({@code crop}): per leading axis {@code i}, elements {@code begin[i]},
 * {@code begin[i] + step[i]}, ... before {@code end[i]}; {@code None} bounds mean the whole axis,
 * negative bounds count from the end. Positive steps only. Lowered to CVM {@code strided_slice}.
 */
@MrtOp(value = {"slice", "crop"},
    attrs = {
        @Attr(name = "begin", type = String.class),
        @Attr(name = "end", type = String.class),
        @Attr(name = "step", type = String.class, defaultValue = "()")},
    emits = "strided_slice")
public final class Slice implements InferShapeHook, ForwardHook {
  /** For the registry. */
  public Slice() {}

  /** Per axis of {@code x}: {begin, end, step}, normalized. */
  static long[][] bounds(OpContext ctx, Shape x) {
    Integer[] begin = Axes.optionalInts(ctx.attrs(), "begin");
    Integer[] end = Axes.optionalInts(ctx.attrs(), "end");
    Integer[] step = Axes.optionalInts(ctx.attrs(), "step");
    if (begin.length != end.length || begin.length > x.rank() || (step.length != 0 && step.length != begin.length)) {
      throw ctx.error("begin, end and step must have the same length (at most the input rank " + x.rank()
          + "), found " + begin.length + ", " + end.length + ", " + step.length);
    }
    long[][] out = new long[x.rank()][];
    for (int i = 0; i < x.rank(); i++) {
      long dim = x.dim(i);
      if (i >= begin.length) {
        out[i] = new long[] {0, dim, 1};
        continue;
      }
      long s = step.length == 0 || step[i] == null ? 1 : step[i];
      if (s <= 0) {
        throw ctx.error("step must be positive, found " + s + " on axis " + i);
      }
      long b = begin[i] == null ? 0 : begin[i] < 0 ? begin[i] + dim : begin[i];
      long e = end[i] == null ? dim : end[i] < 0 ? end[i] + dim : end[i];
      b = Math.max(0, Math.min(b, dim));
      e = Math.max(0, Math.min(e, dim));
      if (e <= b) {
        throw ctx.error("axis " + i + ": slice [" + begin[i] + ", " + end[i] + ") of a dimension of size " + dim
            + " is empty");
      }
      out[i] = new long[] {b, e, s};
    }
    return out;
  }

  @Override
  public List<Shape> inferShape(ShapeContext ctx) {
    Shape x = ctx.inputShape(0);
    long[][] b = bounds(ctx, x);
    long[] out = new long[x.rank()];
    for (int i = 0; i < out.length; i++) {
      out[i] = (b[i][1] - b[i][0] + b[i][2] - 1) / b[i][2];
    }
    return List.of(Shape.of(out));
  }

  @Override
  public List<INDArray> forward(ForwardContext ctx) {
    INDArray x = ctx.input(0);
    long[][] b = bounds(ctx, Shape.of(x.shape()));
    INDArrayIndex[] idx = new INDArrayIndex[x.rank()];
    for (int i = 0; i < idx.length; i++) {
      idx[i] = NDArrayIndex.interval(b[i][0], b[i][2], b[i][1]);
    }
    return List.of(x.get(idx).dup('c'));
  }
}
