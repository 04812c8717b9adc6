package io.mrt.ops.onnx;

import io.mrt.api.graph.Attrs;
import io.mrt.api.graph.Entry;
import io.mrt.api.hook.RewriteContext;
import java.util.List;

/** Element-wise ONNX ops that map one to one onto a built-in op. */
final class OnnxUnary {
  private OnnxUnary() {}

  static List<Entry> as(RewriteContext ctx, String op, Attrs attrs) {
    Entry x = Onnx.required(ctx, 0, "X");
    return List.of(ctx.op(op, ctx.node().name(), attrs, x).out());
  }
}
