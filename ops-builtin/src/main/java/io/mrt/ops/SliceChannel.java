package io.mrt.ops;

import io.mrt.annotations.Attr;
import io.mrt.annotations.MrtOp;
import io.mrt.api.graph.Shape;
import io.mrt.api.hook.ForwardContext;
import io.mrt.api.hook.ForwardHook;
import io.mrt.api.hook.InferShapeHook;
import io.mrt.api.hook.ShapeContext;
import io.mrt.ops.support.ShapeOf;
import io.mrt.ops.support.Tensors;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * MXNet {@code SliceChannel} (also {@code split}): {@code num_outputs} equal parts along
 * {@code axis}, each with the axis removed when {@code squeeze_axis}. The prepare stage replaces
 * each used output by a {@code slice_axis}.
 */
@MrtOp(value = {"SliceChannel", "split"},
    attrs = {
        @Attr(name = "num_outputs", type = int.class),
        @Attr(name = "axis", type = int.class, defaultValue = "1"),
        @Attr(name = "squeeze_axis", type = boolean.class, defaultValue = "False")},
    emits = "strided_slice")
public final class SliceChannel implements InferShapeHook, ForwardHook {
  /** For the registry. */
  public SliceChannel() {}

  @Override
  public List<Shape> inferShape(ShapeContext ctx) {
    Shape x = ctx.inputShape(0);
    int n = ctx.attrs().getInt("num_outputs");
    int axis = Tensors.axis(ctx, "axis", ctx.attrs().getInt("axis"), x.rank());
    if (n < 1 || x.dim(axis) % n != 0) {
      throw ctx.error("axis " + axis + " of size " + x.dim(axis) + " cannot be split into " + n + " equal parts");
    }
    long part = x.dim(axis) / n;
    Shape one;
    if (ctx.attrs().getBool("squeeze_axis")) {
      if (part != 1) {
        throw ctx.error("squeeze_axis needs parts of size 1, found " + part);
      }
      long[] d = new long[x.rank() - 1];
      for (int i = 0, j = 0; i < x.rank(); i++) {
        if (i != axis) {
          d[j++] = x.dim(i);
        }
      }
      one = Shape.of(d);
    } else {
      one = x.withDim(axis, part);
    }
    List<Shape> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(one);
    }
    return out;
  }

  @Override
  public List<INDArray> forward(ForwardContext ctx) {
    INDArray x = ctx.input(0);
    Shape xs = Tensors.shape(x);
    List<Shape> shapes = inferShape(ShapeOf.inputs(ctx));
    int axis = Tensors.axis(ctx, "axis", ctx.attrs().getInt("axis"), xs.rank());
    long part = xs.dim(axis) / shapes.size();
    long[] step = new long[xs.rank()];
    java.util.Arrays.fill(step, 1);
    long[] sliceShape = xs.withDim(axis, part).dims();
    List<INDArray> out = new ArrayList<>();
    for (int i = 0; i < shapes.size(); i++) {
      long[] begin = new long[xs.rank()];
      begin[axis] = i * part;
      out.add(Tensors.stridedSlice(x, begin, step, sliceShape).reshape('c', shapes.get(i).dims()));
    }
    return out;
  }
}
