package io.mrt.ops.onnx;

import io.mrt.annotations.MrtOp;
import io.mrt.api.graph.Entry;
import io.mrt.api.hook.RewriteContext;
import io.mrt.api.hook.RewriteHook;
import java.util.List;

/** ONNX {@code Div} (numpy broadcasting) as the built-in {@code broadcast_div}; see {@link Binary}. */
@MrtOp("onnx_Div")
public final class OnnxDiv implements RewriteHook {
  /** For the registry. */
  public OnnxDiv() {}

  @Override
  public List<Entry> rewrite(RewriteContext ctx) {
    return Binary.rewrite(ctx, "broadcast_div", (a, b) -> a/b, (a, b) -> a/b);
  }
}
