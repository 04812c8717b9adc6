package io.mrt.ops;

import io.mrt.annotations.Attr;
import io.mrt.annotations.MrtOp;
import io.mrt.api.graph.Shape;
import io.mrt.api.hook.ForwardContext;
import io.mrt.api.hook.ForwardHook;
import io.mrt.api.hook.InferShapeHook;
import io.mrt.api.hook.OpContext;
import io.mrt.api.hook.ShapeContext;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * MXNet {@code SliceChannel} ({@code split}): {@code num_outputs} equal parts along {@code axis}
 * ({@code squeeze_axis} drops the axis when each part has size 1). The prepare stage replaces it by
 * one {@code slice_axis} per used output (multiple-outputs fusion).
 */
@MrtOp(value = {"SliceChannel", "split"},
    attrs = {
        @Attr(name = "num_outputs", type = int.class),
        @Attr(name = "axis", type = int.class, defaultValue = "1"),
        @Attr(name = "squeeze_axis", type = boolean.class, defaultValue = "False")})
public final class SliceChannel implements InferShapeHook, ForwardHook {
  /** For the registry. */
  public SliceChannel() {}

  static int[] check(OpContext ctx, Shape x) {
    int n = ctx.attrs().getInt("num_outputs");
    int axis = Axes.normalize(ctx, "axis", ctx.attrs().getInt("axis"), x.rank());
    if (n < 1 || x.dim(axis) % n != 0) {
      throw ctx.error("axis " + axis + " of size " + x.dim(axis) + " cannot be split into num_outputs=" + n
          + " equal parts");
    }
    if (ctx.attrs().getBool("squeeze_axis") && x.dim(axis) != n) {
      throw ctx.error("squeeze_axis needs parts of size 1, but axis " + axis + " of size " + x.dim(axis)
          + " is split into " + n);
    }
    return new int[] {n, axis};
  }

  @Override
  public List<Shape> inferShape(ShapeContext ctx) {
    Shape x = ctx.inputShape(0);
    int[] na = check(ctx, x);
    Shape part = x.withDim(na[1], x.dim(na[1]) / na[0]);
    if (ctx.attrs().getBool("squeeze_axis")) {
      part = squeeze(part, na[1]);
    }
    List<Shape> out = new ArrayList<>();
    for (int i = 0; i < na[0]; i++) {
      out.add(part);
    }
    return out;
  }

  static Shape squeeze(Shape s, int axis) {
    long[] d = new long[s.rank() - 1];
    for (int i = 0, k = 0; i < s.rank(); i++) {
      if (i != axis) {
        d[k++] = s.dim(i);
      }
    }
    return Shape.of(d);
  }

  @Override
  public List<INDArray> forward(ForwardContext ctx) {
    INDArray x = ctx.input(0);
    Shape xs = Shape.of(x.shape());
    int[] na = check(ctx, xs);
    long step = xs.dim(na[1]) / na[0];
    List<INDArray> out = new ArrayList<>();
    for (int k = 0; k < na[0]; k++) {
      INDArrayIndex[] idx = new INDArrayIndex[x.rank()];
      for (int i = 0; i < idx.length; i++) {
        idx[i] = i == na[1] ? NDArrayIndex.interval(k * step, (k + 1) * step) : NDArrayIndex.all();
      }
      INDArray part = x.get(idx).dup('c');
      if (ctx.attrs().getBool("squeeze_axis")) {
        part = part.reshape(squeeze(Shape.of(part.shape()), na[1]).dims());
      }
      out.add(part);
    }
    return out;
  }
}
