package io.mrt.ops.onnx;

import io.mrt.annotations.MrtOp;
import io.mrt.api.graph.Attrs;
import io.mrt.api.graph.Entry;
import io.mrt.api.hook.RewriteContext;
import io.mrt.api.hook.RewriteHook;
import java.util.List;

/** ONNX {@code Relu} as the built-in {@code relu}. */
@MrtOp("onnx_Relu")
public final class OnnxRelu implements RewriteHook {
  /** For the registry. */
  public OnnxRelu() {}

  @Override
  public List<Entry> rewrite(RewriteContext ctx) {
    return OnnxUnary.as(ctx, "relu", Attrs.empty());
  }
}
