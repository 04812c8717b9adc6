package io.mrt.ops;

import io.mrt.api.graph.Attrs;
import io.mrt.api.graph.Entry;
import io.mrt.api.graph.Node;
import io.mrt.api.hook.RewriteContext;
import java.util.ArrayList;
import java.util.List;

/**
 * MRT's rewrite of a 1-D ({@code NCW}) Convolution into the 2-D one CVM has:
 * {@code squeeze(Convolution(expand_dims(X, 3), expand_dims(W, 3)), 3)} with kernel, stride, pad
 * and dilation {@code (k, 1)}, {@code (s, 1)}, {@code (p, 0)}, {@code (d, 1)} and layout NCHW. The
 * expanded weight is a constant, folded by the constant fusion after the rewrite. 2-D
 * convolutions stay.
 */
final class ConvolutionRewrite {
  private ConvolutionRewrite() {}

  static List<Entry> rewrite(RewriteContext ctx) {
    int rank = ctx.shapeOf(ctx.input(0)).rank();
    if (rank != 3) {
      return ctx.unchanged();
    }
    Convolution.Window w = Convolution.Window.of(ctx, rank);
    Node node = ctx.node();
    String n = node.name();
    Attrs attrs = node.attrs()
        .with("kernel", Attrs.tuple(w.kernel()[1], 1))
        .with("stride", Attrs.tuple(w.stride()[1], 1))
        .with("pad", Attrs.tuple(w.pad()[1], 0))
        .with("dilate", Attrs.tuple(w.dilate()[1], 1))
        .with("layout", "NCHW");
    List<Entry> in = new ArrayList<>(ctx.inputs());
    in.set(0, ctx.op("expand_dims", n + "_expand", Attrs.of("axis", "3"), ctx.input(0)).out());
    in.set(1, ctx.op("expand_dims", n + "_weight_expand", Attrs.of("axis", "3"), ctx.input(1)).out());
    Node conv = ctx.op("Convolution", n + "_2d", attrs, in.toArray(new Entry[0]));
    return List.of(ctx.op("squeeze", n, Attrs.of("axis", "(3,)"), conv.out()).out());
  }
}
