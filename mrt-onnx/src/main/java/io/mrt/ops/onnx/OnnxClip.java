package io.mrt.ops.onnx;

import io.mrt.annotations.MrtOp;
import io.mrt.api.graph.Attrs;
import io.mrt.api.graph.Entry;
import io.mrt.api.hook.RewriteContext;
import io.mrt.api.hook.RewriteHook;
import java.util.List;

/**
 * ONNX {@code Clip}: bounds from the {@code min}/{@code max} attributes (opset &lt; 11) or the
 * optional constant inputs (opset 11 on). {@code [0, inf)} is the built-in {@code relu}; other
 * bounds (relu6 is {@code [0, 6]}) the built-in {@code clip}, with an absent bound at the float32
 * limit.
 */
@MrtOp("onnx_Clip")
public final class OnnxClip implements RewriteHook {
  /** For the registry. */
  public OnnxClip() {}

  @Override
  public List<Entry> rewrite(RewriteContext ctx) {
    double lo;
    double hi;
    if (Onnx.opset(ctx) < 11) {
      lo = ctx.attrs().getDouble("min", -Float.MAX_VALUE);
      hi = ctx.attrs().getDouble("max", Float.MAX_VALUE);
    } else {
      lo = Onnx.input(ctx, 1).isPresent() ? Onnx.scalar(ctx, Onnx.requireConstant(ctx, 1, "min"), "min") : -Float.MAX_VALUE;
      hi = Onnx.input(ctx, 2).isPresent() ? Onnx.scalar(ctx, Onnx.requireConstant(ctx, 2, "max"), "max") : Float.MAX_VALUE;
    }
    lo = Math.max(lo, -Float.MAX_VALUE);
    hi = Math.min(hi, Float.MAX_VALUE);
    if (lo == 0 && hi == Float.MAX_VALUE) {
      return OnnxUnary.as(ctx, "relu", Attrs.empty());
    }
    return OnnxUnary.as(ctx, "clip", Attrs.of("a_min", Onnx.num(lo), "a_max", Onnx.num(hi)));
  }
}
