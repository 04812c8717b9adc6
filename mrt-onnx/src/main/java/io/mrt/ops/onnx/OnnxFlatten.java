package io.mrt.ops.onnx;

import io.mrt.annotations.MrtOp;
import io.mrt.api.graph.Attrs;
import io.mrt.api.graph.Entry;
import io.mrt.api.graph.Shape;
import io.mrt.api.hook.RewriteContext;
import io.mrt.api.hook.RewriteHook;
import java.util.List;

/**
 * ONNX {@code Flatten} ({@code axis} default 1): the built-in {@code Flatten} for axis 1, else a
 * {@code Reshape} to {@code (prod(dims[:axis]), prod(dims[axis:]))}.
 */
@MrtOp("onnx_Flatten")
public final class OnnxFlatten implements RewriteHook {
  /** For the registry. */
  public OnnxFlatten() {}

  @Override
  public List<Entry> rewrite(RewriteContext ctx) {
    Entry x = Onnx.required(ctx, 0, "input");
    Shape s = ctx.shapeOf(x);
    long ax = ctx.attrs().getInt("axis", 1);
    int axis = ax == s.rank() ? s.rank() : Onnx.axis(ctx, "axis", ax, s.rank());
    if (ctx.paramValue(x).isPresent()) {
      long outer = Onnx.product(s.dims(), 0, axis);
      return Onnx.fold(ctx, ctx.paramValue(x).get().reshape('c', outer, Onnx.product(s.dims(), axis, s.rank())).dup());
    }
    if (axis == 1 && s.rank() >= 2) {
      return List.of(ctx.op("Flatten", ctx.node().name(), Attrs.empty(), x).out());
    }
    long[] out = {Onnx.product(s.dims(), 0, axis), Onnx.product(s.dims(), axis, s.rank())};
    return List.of(Onnx.reshape(ctx, ctx.node().name(), x, out));
  }
}
