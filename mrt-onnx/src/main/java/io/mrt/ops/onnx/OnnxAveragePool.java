package io.mrt.ops.onnx;

import io.mrt.annotations.MrtOp;
import io.mrt.api.graph.Entry;
import io.mrt.api.hook.RewriteContext;
import io.mrt.api.hook.RewriteHook;
import java.util.List;

/** ONNX {@code AveragePool} as the built-in {@code Pooling(pool_type=avg)}; see {@link OnnxPool}. */
@MrtOp("onnx_AveragePool")
public final class OnnxAveragePool implements RewriteHook {
  /** For the registry. */
  public OnnxAveragePool() {}

  @Override
  public List<Entry> rewrite(RewriteContext ctx) {
    return OnnxPool.rewrite(ctx, "avg");
  }
}
