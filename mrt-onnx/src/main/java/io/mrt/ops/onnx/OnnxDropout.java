package io.mrt.ops.onnx;

import io.mrt.annotations.MrtOp;
import io.mrt.api.graph.Entry;
import io.mrt.api.hook.RewriteContext;
import io.mrt.api.hook.RewriteHook;
import java.util.List;

/**
 * ONNX {@code Dropout} at inference: removed (its readers read its input). A {@code training_mode}
 * input that is true, or a used {@code mask} output, is refused.
 */
@MrtOp("onnx_Dropout")
public final class OnnxDropout implements RewriteHook {
  /** For the registry. */
  public OnnxDropout() {}

  @Override
  public List<Entry> rewrite(RewriteContext ctx) {
    if (Onnx.input(ctx, 2).isPresent()) {
      double training = Onnx.scalar(ctx, Onnx.requireConstant(ctx, 2, "training_mode"), "training_mode");
      if (training != 0) {
        throw ctx.error("training_mode=true is not supported (inference only)");
      }
    }
    if (ctx.node().numOutputs() > 1) {
      throw ctx.error("the mask output is not supported (inference only)");
    }
    return List.of(Onnx.required(ctx, 0, "data"));
  }
}
