package io.mrt.ops.onnx;

import io.mrt.annotations.MrtOp;
import io.mrt.api.graph.Attrs;
import io.mrt.api.graph.Entry;
import io.mrt.api.graph.Shape;
import io.mrt.api.hook.RewriteContext;
import io.mrt.api.hook.RewriteHook;
import java.util.ArrayList;
import java.util.List;

/**
 * ONNX {@code Squeeze}: {@code axes} as an attribute (opset &lt; 13) or a constant input, default
 * every axis of size 1, as the built-in {@code squeeze}; constants are squeezed at once.
 */
@MrtOp("onnx_Squeeze")
public final class OnnxSqueeze implements RewriteHook {
  /** For the registry. */
  public OnnxSqueeze() {}

  @Override
  public List<Entry> rewrite(RewriteContext ctx) {
    Entry x = Onnx.required(ctx, 0, "data");
    Shape s = ctx.shapeOf(x);
    long[] axes = Onnx.opset(ctx) < 13 ? Onnx.ints(ctx, "axes", null)
        : Onnx.input(ctx, 1).isPresent() ? Onnx.longs(Onnx.requireConstant(ctx, 1, "axes")) : null;
    List<Integer> ax = new ArrayList<>();
    if (axes == null) {
      for (int i = 0; i < s.rank(); i++) {
        if (s.dim(i) == 1) {
          ax.add(i);
        }
      }
    } else {
      for (long a : axes) {
        int n = Onnx.axis(ctx, "axis", a, s.rank());
        if (s.dim(n) != 1) {
          throw ctx.error("cannot squeeze axis " + a + " of size " + s.dim(n) + " (input " + s + ")");
        }
        ax.add(n);
      }
    }
    List<Long> out = new ArrayList<>();
    for (int i = 0; i < s.rank(); i++) {
      if (!ax.contains(i)) {
        out.add(s.dim(i));
      }
    }
    long[] outShape = out.stream().mapToLong(Long::longValue).toArray();
    if (ctx.paramValue(x).isPresent()) {
      return Onnx.fold(ctx, OnnxUnsqueeze.reshaped(ctx.paramValue(x).get(), outShape));
    }
    if (ax.isEmpty()) {
      return List.of(x);
    }
    int[] axInts = ax.stream().sorted().mapToInt(Integer::intValue).toArray();
    return List.of(ctx.op("squeeze", ctx.node().name(), Attrs.of("axis", Onnx.tuple(axInts)), x).out());
  }
}
