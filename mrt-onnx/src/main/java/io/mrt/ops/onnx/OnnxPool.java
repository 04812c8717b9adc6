package io.mrt.ops.onnx;

import io.mrt.api.graph.Attrs;
import io.mrt.api.graph.Entry;
import io.mrt.api.graph.Shape;
import io.mrt.api.hook.RewriteContext;
import java.util.List;

/**
 * ONNX {@code MaxPool} and {@code AveragePool} (2-D) as the built-in {@code Pooling}:
 * {@code kernel_shape}, {@code strides}, symmetric {@code pads} or {@code auto_pad},
 * {@code ceil_mode} as {@code pooling_convention=full}, and {@code count_include_pad} (default 0 in
 * ONNX, 1 in MXNet) for averages. Dilations other than 1 and the indices output are refused.
 */
final class OnnxPool {
  private OnnxPool() {}

  static List<Entry> rewrite(RewriteContext ctx, String type) {
    if (ctx.node().numOutputs() != 1) {
      throw ctx.error("the Indices output is not supported");
    }
    Entry x = Onnx.required(ctx, 0, "X");
    Shape xs = ctx.shapeOf(x);
    if (xs.rank() != 4) {
      throw ctx.error("1-D and 3-D pooling are not supported (2-D, NCHW input only), found input " + xs);
    }
    long[] k = ctx.attrs().getLongs("kernel_shape");
    if (k.length != 2) {
      throw ctx.error("kernel_shape must have 2 values, found " + Onnx.tuple(k));
    }
    long[] strides = Onnx.ints(ctx, "strides", new long[] {1, 1});
    long[] dil = Onnx.ints(ctx, "dilations", new long[] {1, 1});
    if (dil[0] != 1 || dil[1] != 1) {
      throw ctx.error("dilations other than 1 are not supported, found " + Onnx.tuple(dil));
    }
    long[] pads = Window.symmetric(ctx, Window.pads(ctx, xs, k, strides, dil, 2), 2);
    boolean ceil = ctx.attrs().getInt("ceil_mode", 0) != 0;
    Attrs a = Attrs.of("kernel", Onnx.tuple(k), "stride", Onnx.tuple(strides), "pad", Onnx.tuple(pads),
        "pool_type", type, "pooling_convention", ceil ? "full" : "valid");
    if (type.equals("avg")) {
      a = a.with("count_include_pad", ctx.attrs().getInt("count_include_pad", 0) != 0 ? "True" : "False");
    }
    return List.of(ctx.op("Pooling", ctx.node().name(), a, x).out());
  }

  static List<Entry> global(RewriteContext ctx, String type) {
    Entry x = Onnx.required(ctx, 0, "X");
    if (ctx.shapeOf(x).rank() != 4) {
      throw ctx.error("1-D and 3-D pooling are not supported (2-D, NCHW input only), found input " + ctx.shapeOf(x));
    }
    Attrs a = Attrs.of("kernel", "(1, 1)", "pool_type", type, "global_pool", "True");
    return List.of(ctx.op("Pooling", ctx.node().name(), a, x).out());
  }
}
