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

/** MXNet {@code Convolution} (NCHW, 2-D), lowered to CVM {@code conv2d}. */
@MrtOp(value = "Convolution",
    attrs = {
        @Attr(name = "kernel", type = int[].class),
        @Attr(name = "num_filter", type = int.class),
        @Attr(name = "stride", type = int[].class, defaultValue = "(1, 1)"),
        @Attr(name = "pad", type = int[].class, defaultValue = "(0, 0)"),
        @Attr(name = "dilate", type = int[].class, defaultValue = "(1, 1)"),
        @Attr(name = "num_group", type = int.class, defaultValue = "1"),
        @Attr(name = "no_bias", type = boolean.class, defaultValue = "False"),
        @Attr(name = "layout", type = String.class, defaultValue = "None")},
    emits = "conv2d", inputPrecision = 8)
public final class Convolution implements InferShapeHook, QuantizeHook, InferPrecisionHook {
  /** For the registry. */
  public Convolution() {}

  @Override
  public List<Shape> inferShape(ShapeContext ctx) {
    Attrs a = ctx.attrs();
    Shape x = ctx.inputShape(0);
    if (x.rank() != 4) {
      throw ctx.error("input must be 4-D NCHW, found " + x);
    }
    int[] k = Shapes.expand(ctx, "kernel", a.getInts("kernel"), 2);
    int[] s = Shapes.expand(ctx, "stride", a.getInts("stride"), 2);
    int[] p = Shapes.expand(ctx, "pad", a.getInts("pad"), 2);
    int[] d = Shapes.expand(ctx, "dilate", a.getInts("dilate"), 2);
    int groups = a.getInt("num_group");
    int filters = a.getInt("num_filter");
    if (x.dim(1) % groups != 0) {
      throw ctx.error("input channels " + x.dim(1) + " are not divisible by num_group " + groups);
    }
    Shape w = ctx.inputShape(1);
    Shape expectedW = Shape.of(filters, x.dim(1) / groups, k[0], k[1]);
    if (!w.equals(expectedW)) {
      throw ctx.error("weight shape must be " + expectedW + ", found " + w);
    }
    long oh = Shapes.window(ctx, "height", x.dim(2), k[0], s[0], p[0], d[0]);
    long ow = Shapes.window(ctx, "width", x.dim(3), k[1], s[1], p[1], d[1]);
    return List.of(Shape.of(x.dim(0), filters, oh, ow));
  }

  /** MRT's {@code _quantize_xwb}: see {@link QuantizeRules#xwb}. */
  @Override
  public Quantized quantize(QuantizeContext ctx) {
    return QuantizeRules.xwb(ctx, ctx.attrs().getBool("no_bias"));
  }

  /** conv2d: inputs of at most 8 bits; {@code ip0 + ip1 + bitCount(C/g*kh*kw)} (+ bias). */
  @Override
  public List<Integer> inferPrecision(PrecisionContext ctx) {
    return QuantizeRules.xwbPrecision(ctx, ctx.attrs().getBool("no_bias"));
  }
}
