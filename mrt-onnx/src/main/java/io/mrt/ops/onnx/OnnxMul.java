package io.mrt.ops.onnx;

import io.mrt.annotations.MrtOp;
import io.mrt.api.graph.Entry;
import io.mrt.api.hook.RewriteContext;
import io.mrt.api.hook.RewriteHook;
import java.util.List;

/** ONNX {@code Mul} (numpy broadcasting) as the built-in {@code broadcast_mul}; see {@link Binary}. */
@MrtOp("onnx_Mul")
public final class OnnxMul implements RewriteHook {
  /** For the registry. */
  public OnnxMul() {}

  @Override
  public List<Entry> rewrite(RewriteContext ctx) {
    return Binary.rewrite(ctx, "broadcast_mul", (a, b) -> a*b, (a, b) -> a*b);
  }
}
