package io.mrt.ops.onnx;

import io.mrt.annotations.MrtOp;
import io.mrt.api.graph.Entry;
import io.mrt.api.hook.RewriteContext;
import io.mrt.api.hook.RewriteHook;
import java.util.List;

/** ONNX {@code GlobalMaxPool} as the built-in {@code Pooling(pool_type=max)}; see {@link OnnxPool}. */
@MrtOp("onnx_GlobalMaxPool")
public final class OnnxGlobalMaxPool implements RewriteHook {
  /** For the registry. */
  public OnnxGlobalMaxPool() {}

  @Override
  public List<Entry> rewrite(RewriteContext ctx) {
    return OnnxPool.global(ctx, "max");
  }
}
