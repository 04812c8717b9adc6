package io.mrt.ops.onnx;

import io.mrt.annotations.MrtOp;
import io.mrt.api.graph.Attrs;
import io.mrt.api.graph.Entry;
import io.mrt.api.hook.RewriteContext;
import io.mrt.api.hook.RewriteHook;
import java.util.Arrays;
import java.util.List;

/** ONNX {@code ReduceMean} ({@code axes} default all, {@code keepdims} default 1) as the built-in {@code mean}. */
@MrtOp("onnx_ReduceMean")
public final class OnnxReduceMean implements RewriteHook {
  /** For the registry. */
  public OnnxReduceMean() {}

  @Override
  public List<Entry> rewrite(RewriteContext ctx) {
    Entry x = Onnx.required(ctx, 0, "data");
    int rank = ctx.shapeOf(x).rank();
    long[] axes = Onnx.input(ctx, 1).isPresent() ? Onnx.longs(Onnx.requireConstant(ctx, 1, "axes"))
        : Onnx.ints(ctx, "axes", null);
    boolean keep = ctx.attrs().getInt("keepdims", 1) != 0;
    Attrs a = Attrs.of("keepdims", keep ? "True" : "False");
    if (axes != null && axes.length > 0) {
      int[] ax = new int[axes.length];
      for (int i = 0; i < ax.length; i++) {
        ax[i] = Onnx.axis(ctx, "axis", axes[i], rank);
      }
      Arrays.sort(ax);
      a = a.with("axis", Onnx.tuple(ax));
    } else if (ctx.attrs().getInt("noop_with_empty_axes", 0) != 0) {
      return List.of(x);
    }
    return List.of(ctx.op("mean", ctx.node().name(), a, x).out());
  }
}
