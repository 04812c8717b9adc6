package io.mrt.ops.onnx;

import io.mrt.annotations.MrtOp;
import io.mrt.api.graph.Attrs;
import io.mrt.api.graph.Entry;
import io.mrt.api.graph.Shape;
import io.mrt.api.hook.RewriteContext;
import io.mrt.api.hook.RewriteHook;
import java.util.List;

/**
 * ONNX {@code Softmax}. From opset 13 it is the built-in {@code softmax} along {@code axis}
 * (default -1). Before, the input is seen as 2-D, {@code (prod(dims[:axis]), prod(dims[axis:]))}
 * with {@code axis} default 1: the built-in {@code softmax} on the last axis when {@code axis} is
 * the last axis, else between two {@code Reshape}s.
 */
@MrtOp("onnx_Softmax")
public final class OnnxSoftmax implements RewriteHook {
  /** For the registry. */
  public OnnxSoftmax() {}

  @Override
  public List<Entry> rewrite(RewriteContext ctx) {
    Entry x = Onnx.required(ctx, 0, "input");
    Shape s = ctx.shapeOf(x);
    String name = ctx.node().name();
    if (Onnx.opset(ctx) >= 13) {
      int axis = Onnx.axis(ctx, "axis", ctx.attrs().getInt("axis", -1), s.rank());
      return List.of(ctx.op("softmax", name, Attrs.of("axis", Integer.toString(axis - s.rank())), x).out());
    }
    int axis = Onnx.axis(ctx, "axis", ctx.attrs().getInt("axis", 1), s.rank());
    if (axis == s.rank() - 1) {
      return List.of(ctx.op("softmax", name, Attrs.of("axis", "-1"), x).out());
    }
    long inner = Onnx.product(s.dims(), axis, s.rank());
    Entry flat = ctx.op("Reshape", name + "_2d", Attrs.of("shape", Onnx.tuple(-1, inner)), x).out();
    Entry sm = ctx.op("softmax", name + "_softmax", Attrs.of("axis", "-1"), flat).out();
    long[] back = s.dims().clone();
    back[0] = axis == 0 ? back[0] : -1;
    return List.of(ctx.op("Reshape", name, Attrs.of("shape", Onnx.tuple(back)), sm).out());
  }
}
