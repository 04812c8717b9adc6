package io.mrt.ops.onnx;

import io.mrt.annotations.MrtOp;
import io.mrt.api.graph.Entry;
import io.mrt.api.hook.RewriteContext;
import io.mrt.api.hook.RewriteHook;
import java.util.List;

/** ONNX {@code Identity}: removed (its readers read its input). */
@MrtOp("onnx_Identity")
public final class OnnxIdentity implements RewriteHook {
  /** For the registry. */
  public OnnxIdentity() {}

  @Override
  public List<Entry> rewrite(RewriteContext ctx) {
    return List.of(Onnx.required(ctx, 0, "input"));
  }
}
