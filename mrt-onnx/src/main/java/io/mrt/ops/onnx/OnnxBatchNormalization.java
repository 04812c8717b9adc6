package io.mrt.ops.onnx;

import io.mrt.annotations.MrtOp;
import io.mrt.api.graph.Attrs;
import io.mrt.api.graph.Entry;
import io.mrt.api.hook.RewriteContext;
import io.mrt.api.hook.RewriteHook;
import java.util.List;

/**
 * ONNX {@code BatchNormalization} (inference: one output) as the built-in {@code BatchNorm} on
 * axis 1 with the running statistics ({@code use_global_stats}, {@code fix_gamma=False}); the
 * inputs (X, scale, B, mean, var) are in the same order. The prepare stage folds it into the
 * convolution before it as for MXNet models.
 */
@MrtOp("onnx_BatchNormalization")
public final class OnnxBatchNormalization implements RewriteHook {
  /** For the registry. */
  public OnnxBatchNormalization() {}

  @Override
  public List<Entry> rewrite(RewriteContext ctx) {
    if (ctx.node().numOutputs() != 1) {
      throw ctx.error("training mode (" + ctx.node().numOutputs() + " outputs) is not supported; export the"
          + " model in inference mode");
    }
    if (ctx.attrs().getInt("training_mode", 0) != 0) {
      throw ctx.error("training_mode=1 is not supported; export the model in inference mode");
    }
    if (ctx.inputs().size() != 5) {
      throw ctx.error("expected 5 inputs (X, scale, B, mean, var), found " + ctx.inputs().size());
    }
    Attrs a = Attrs.of("eps", Onnx.num(ctx.attrs().getDouble("epsilon", 1e-5)),
        "momentum", Onnx.num(ctx.attrs().getDouble("momentum", 0.9)),
        "fix_gamma", "False", "use_global_stats", "True", "axis", "1");
    return List.of(ctx.op("BatchNorm", ctx.node().name(), a, ctx.inputs().toArray(new Entry[0])).out());
  }
}
