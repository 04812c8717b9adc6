package io.mrt.ops;

import io.mrt.annotations.Attr;
import io.mrt.annotations.MrtOp;
import io.mrt.api.graph.Attrs;
import io.mrt.api.graph.Shape;
import io.mrt.api.graph.Entry;
import io.mrt.api.hook.InferShapeHook;
import io.mrt.api.hook.RewriteContext;
import io.mrt.api.hook.RewriteHook;
import io.mrt.api.hook.ShapeContext;
import java.util.List;

/** MXNet {@code Pooling} (max, avg, global; valid and full conventions), NCHW. */
@MrtOp(value = "Pooling",
    attrs = {
        @Attr(name = "kernel", type = int[].class, defaultValue = "()"),
        @Attr(name = "pool_type", type = String.class, defaultValue = "max"),
        @Attr(name = "global_pool", type = boolean.class, defaultValue = "False"),
        @Attr(name = "stride", type = int[].class, defaultValue = "(1, 1)"),
        @Attr(name = "pad", type = int[].class, defaultValue = "(0, 0)"),
        @Attr(name = "pooling_convention", type = String.class, defaultValue = "valid"),
        @Attr(name = "count_include_pad", type = boolean.class, defaultValue = "True")},
    emits = "max_pool2d")
public final class Pooling implements InferShapeHook, RewriteHook {
  /** For the registry. */
  public Pooling() {}

  @Override
  public List<Shape> inferShape(ShapeContext ctx) {
    Attrs a = ctx.attrs();
    Shape x = ctx.inputShape(0);
    if (x.rank() != 4) {
      throw ctx.error("input must be 4-D NCHW, found " + x);
    }
    if (a.getBool("global_pool")) {
      return List.of(Shape.of(x.dim(0), x.dim(1), 1, 1));
    }
    int[] k = Shapes.expand(ctx, "kernel", a.getInts("kernel"), 2);
    int[] s = Shapes.expand(ctx, "stride", a.getInts("stride"), 2);
    int[] p = Shapes.expand(ctx, "pad", a.getInts("pad"), 2);
    boolean full = "full".equals(a.getString("pooling_convention"));
    long[] out = new long[2];
    for (int i = 0; i < 2; i++) {
      long in = x.dim(2 + i) + 2L * p[i];
      if (in < k[i]) {
        throw ctx.error("kernel " + k[i] + " is larger than the padded input " + in);
      }
      out[i] = full ? (in - k[i] + s[i] - 1) / s[i] + 1 : (in - k[i]) / s[i] + 1;
    }
    return List.of(Shape.of(x.dim(0), x.dim(1), out[0], out[1]));
  }

  @Override
  public List<Entry> rewrite(RewriteContext ctx) {
    return PoolingRewrite.rewrite(ctx);
  }
}
