package io.mrt.ops.onnx;

import io.mrt.annotations.MrtOp;
import io.mrt.api.graph.Entry;
import io.mrt.api.hook.RewriteContext;
import io.mrt.api.hook.RewriteHook;
import java.util.List;

/** ONNX {@code GlobalAveragePool} as the built-in {@code Pooling(pool_type=avg)}; see {@link OnnxPool}. */
@MrtOp("onnx_GlobalAveragePool")
public final class OnnxGlobalAveragePool implements RewriteHook {
  /** For the registry. */
  public OnnxGlobalAveragePool() {}

  @Override
  public List<Entry> rewrite(RewriteContext ctx) {
    return OnnxPool.global(ctx, "avg");
  }
}
