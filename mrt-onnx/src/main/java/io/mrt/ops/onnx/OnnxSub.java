package io.mrt.ops.onnx;

import io.mrt.annotations.MrtOp;
import io.mrt.api.graph.Entry;
import io.mrt.api.hook.RewriteContext;
import io.mrt.api.hook.RewriteHook;
import java.util.List;

/** ONNX {@code Sub} (numpy broadcasting) as the built-in {@code broadcast_sub}; see {@link Binary}. */
@MrtOp("onnx_Sub")
public final class OnnxSub implements RewriteHook {
  /** For the registry. */
  public OnnxSub() {}

  @Override
  public List<Entry> rewrite(RewriteContext ctx) {
    return Binary.rewrite(ctx, "broadcast_sub", (a, b) -> a-b, (a, b) -> a-b);
  }
}
