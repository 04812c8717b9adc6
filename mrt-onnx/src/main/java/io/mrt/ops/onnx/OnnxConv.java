package io.mrt.ops.onnx;

import io.mrt.annotations.MrtOp;
import io.mrt.api.graph.Attrs;
import io.mrt.api.graph.Entry;
import io.mrt.api.graph.Node;
import io.mrt.api.graph.Shape;
import io.mrt.api.hook.RewriteContext;
import io.mrt.api.hook.RewriteHook;
import java.util.ArrayList;
import java.util.List;

/**
 * ONNX {@code Conv} (1-D and 2-D, grouped and depthwise included) as the built-in
 * {@code Convolution}: kernel from the weight's shape, {@code strides}, {@code dilations},
 * {@code group}, symmetric {@code pads} or {@code auto_pad}. A zero constant {@code Pad} of the
 * spatial axes right before the convolution is folded into its padding.
 */
@MrtOp("onnx_Conv")
public final class OnnxConv implements RewriteHook {
  /** For the registry. */
  public OnnxConv() {}

  @Override
  public List<Entry> rewrite(RewriteContext ctx) {
    Entry x = Onnx.required(ctx, 0, "X");
    Entry w = Onnx.required(ctx, 1, "W");
    Shape ws = ctx.shapeOf(w);
    int dims = ws.rank() - 2;
    if (dims != 1 && dims != 2) {
      throw ctx.error("3-D and higher convolutions are not supported (1-D and 2-D only), found a weight of shape " + ws);
    }
    long[] extraPad = new long[2 * dims];
    if (x.node().op().equals(OnnxPad.OP) && OnnxPad.foldable(ctx, x.node(), dims)) {
      extraPad = OnnxPad.spatialPads(ctx, x.node(), dims);
      x = x.node().input(0);
    }
    Shape xs = ctx.shapeOf(x);
    if (xs.rank() != dims + 2) {
      throw ctx.error("a " + dims + "-D convolution needs a rank " + (dims + 2) + " input, found " + xs);
    }
    long[] kernel = new long[dims];
    for (int i = 0; i < dims; i++) {
      kernel[i] = ws.dim(2 + i);
    }
    long[] k = Onnx.ints(ctx, "kernel_shape", kernel);
    if (!java.util.Arrays.equals(k, kernel)) {
      throw ctx.error("kernel_shape " + Onnx.tuple(k) + " does not match the weight's shape " + ws);
    }
    long[] strides = Onnx.ints(ctx, "strides", ones(dims));
    long[] dil = Onnx.ints(ctx, "dilations", ones(dims));
    long[] pads = Window.pads(ctx, xs, kernel, strides, dil, dims);
    for (int i = 0; i < 2 * dims; i++) {
      pads[i] += extraPad[i];
    }
    long[] sym = Window.symmetric(ctx, pads, dims);
    long group = ctx.attrs().getInt("group", 1);
    long filters = ws.dim(0);
    boolean bias = Onnx.input(ctx, 2).isPresent();
    Attrs a = Attrs.of("kernel", Onnx.tuple(kernel), "stride", Onnx.tuple(strides), "pad", Onnx.tuple(sym),
        "dilate", Onnx.tuple(dil), "num_group", Long.toString(group), "num_filter", Long.toString(filters),
        "no_bias", bias ? "False" : "True");
    List<Entry> in = new ArrayList<>(List.of(x, w));
    Onnx.input(ctx, 2).ifPresent(in::add);
    Node conv = ctx.op("Convolution", ctx.node().name(), a, in.toArray(new Entry[0]));
    return List.of(conv.out());
  }

  static long[] ones(int n) {
    long[] v = new long[n];
    java.util.Arrays.fill(v, 1);
    return v;
  }
}
