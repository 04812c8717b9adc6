package io.mrt.ops.onnx;

import io.mrt.annotations.MrtOp;
import io.mrt.api.graph.Attrs;
import io.mrt.api.graph.Entry;
import io.mrt.api.hook.RewriteContext;
import io.mrt.api.hook.RewriteHook;
import java.util.List;

/** ONNX {@code LeakyRelu} ({@code alpha}, default 0.01) as the built-in {@code LeakyReLU(act_type=leaky)}. */
@MrtOp("onnx_LeakyRelu")
public final class OnnxLeakyRelu implements RewriteHook {
  /** For the registry. */
  public OnnxLeakyRelu() {}

  @Override
  public List<Entry> rewrite(RewriteContext ctx) {
    double alpha = ctx.attrs().getDouble("alpha", 0.01);
    return OnnxUnary.as(ctx, "LeakyReLU", Attrs.of("act_type", "leaky", "slope", Onnx.num(alpha)));
  }
}
