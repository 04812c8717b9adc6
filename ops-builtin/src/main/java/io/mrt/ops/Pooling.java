package io.mrt.ops;

import io.mrt.annotations.Attr;
import io.mrt.annotations.MrtOp;
import io.mrt.api.graph.Attrs;
import io.mrt.api.graph.Shape;
import io.mrt.api.hook.InferShapeHook;
import io.mrt.api.hook.ShapeContext;
import java.util.List;
import io.mrt.api.hook.InferPrecisionHook;
import io.mrt.api.hook.PrecisionContext;
import io.mrt.api.hook.QuantizeContext;
import io.mrt.api.hook.QuantizeHook;
import io.mrt.api.hook.Quantized;

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
public final class Pooling implements InferShapeHook, QuantizeHook, InferPrecisionHook {
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

  /**
   * Max pooling keeps the input's scale and precision (MRT's default). Average pooling must have
   * been rewritten by the prepare stage (into a depthwise Convolution or a sum and a multiply).
   */
  @Override
  public Quantized quantize(QuantizeContext ctx) {
    requireMax(ctx);
    return ctx.keepScale();
  }

  /** CVM max_pool2d: the input's precision. */
  @Override
  public List<Integer> inferPrecision(PrecisionContext ctx) {
    requireMax(ctx);
    return QuantizeRules.sameAsInput(ctx);
  }

  private static void requireMax(io.mrt.api.hook.OpContext ctx) {
    String type = ctx.attrs().getString("pool_type");
    if (!"max".equals(type)) {
      throw ctx.error("pool_type '" + type + "' has no integer form; the prepare stage rewrites average "
          + "pooling into a depthwise Convolution or a sum (run prepare first)");
    }
  }
}
