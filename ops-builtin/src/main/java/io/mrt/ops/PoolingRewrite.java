package io.mrt.ops;

import io.mrt.api.graph.Attrs;
import io.mrt.api.graph.Entry;
import io.mrt.api.graph.Node;
import io.mrt.api.graph.Shape;
import io.mrt.api.hook.RewriteContext;
import io.mrt.ops.support.Consts;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * MRT's rewrite of average (and sum) pooling, which CVM has no operator for: global pooling becomes
 * {@code sum(X, axis=(2, 3), keepdims=True)} times {@code 1/(H*W)}; windowed pooling becomes a
 * depthwise {@code Convolution} ({@code num_group = C}) whose weights are {@code 1/(kh*kw)}. Max
 * pooling is kept.
 */
final class PoolingRewrite {
  private PoolingRewrite() {}

  static List<Entry> rewrite(RewriteContext ctx) {
    Attrs a = ctx.attrs();
    String type = a.getString("pool_type");
    if (!"avg".equals(type) && !"sum".equals(type)) {
      return ctx.unchanged();
    }
    boolean avg = "avg".equals(type);
    Node node = ctx.node();
    String n = node.name();
    Entry x = ctx.input(0);
    Shape xs = ctx.shapeOf(x);
    if (xs.rank() != 4) {
      throw ctx.error(type + " pooling can be rewritten only for 4-D NCHW input, found " + xs);
    }
    if (a.getBool("global_pool")) {
      Node sum = ctx.op("sum", avg ? n + "_sum" : n, Attrs.of("axis", "(2, 3)", "keepdims", "True"), x);
      if (!avg) {
        return List.of(sum.out());
      }
      Entry scale = Consts.scalar(ctx, n + "_scale", 1.0 / (xs.dim(2) * xs.dim(3)));
      return List.of(ctx.op("broadcast_mul", n, Attrs.empty(), sum.out(), scale).out());
    }
    Pooling.Window win = Pooling.Window.of(ctx, xs);
    int[] k = {win.kh(), win.kw()};
    int[] s = {win.sh(), win.sw()};
    int[] p = {win.ph(), win.pw()};
    for (int i = 0; i < 2; i++) {
      long convOut = (xs.dim(2 + i) + 2L * p[i] - k[i]) / s[i] + 1;
      if (convOut != (i == 0 ? win.oh() : win.ow())) {
        throw ctx.error(type + " pooling with pooling_convention=full and a window that does not tile the input"
            + " (size " + xs.dim(2 + i) + ", kernel " + k[i] + ", stride " + s[i] + ", pad " + p[i]
            + ") has no convolution equivalent; use pooling_convention=valid");
      }
    }
    if (avg && !win.includePad() && (p[0] > 0 || p[1] > 0)) {
      throw ctx.error("avg pooling with count_include_pad=False and padding " + Attrs.tuple(p)
          + " has no convolution equivalent (MRT supports count_include_pad=True only)");
    }
    long c = xs.dim(1);
    INDArray w = Nd4j.valueArrayOf(new long[] {c, 1, k[0], k[1]}, avg ? 1.0 / (k[0] * k[1]) : 1.0,
        org.nd4j.linalg.api.buffer.DataType.FLOAT);
    Node wn = ctx.param(n + "_weight", w);
    Attrs conv = Attrs.of("kernel", Attrs.tuple(k), "stride", Attrs.tuple(s), "pad", Attrs.tuple(p),
        "dilate", "(1, 1)", "num_filter", Long.toString(c), "num_group", Long.toString(c), "no_bias", "True",
        "layout", "NCHW");
    return List.of(ctx.op("Convolution", n, conv, x, wn.out()).out());
  }
}
