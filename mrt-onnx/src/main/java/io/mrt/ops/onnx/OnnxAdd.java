package io.mrt.ops.onnx;

import io.mrt.annotations.MrtOp;
import io.mrt.api.graph.Entry;
import io.mrt.api.hook.RewriteContext;
import io.mrt.api.hook.RewriteHook;
import java.util.List;

/** ONNX {@code Add} (numpy broadcasting) as the built-in {@code broadcast_add}; see {@link Binary}. */
@MrtOp("onnx_Add")
public final class OnnxAdd implements RewriteHook {
  /** For the registry. */
  public OnnxAdd() {}

  @Override
  public List<Entry> rewrite(RewriteContext ctx) {
    return Binary.rewrite(ctx, "broadcast_add", (a, b) -> a+b, (a, b) -> a+b);
  }
}
