package io.mrt.ops.onnx;

import io.mrt.annotations.MrtOp;
import io.mrt.api.graph.Attrs;
import io.mrt.api.graph.Entry;
import io.mrt.api.hook.RewriteContext;
import io.mrt.api.hook.RewriteHook;
import java.util.List;

/** ONNX {@code Sigmoid} as the built-in {@code sigmoid}. */
@MrtOp("onnx_Sigmoid")
public final class OnnxSigmoid implements RewriteHook {
  /** For the registry. */
  public OnnxSigmoid() {}

  @Override
  public List<Entry> rewrite(RewriteContext ctx) {
    return OnnxUnary.as(ctx, "sigmoid", Attrs.empty());
  }
}
