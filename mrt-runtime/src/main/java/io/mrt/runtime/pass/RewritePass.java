package io.mrt.runtime.pass;

import io.mrt.api.graph.Model;
import io.mrt.api.hook.RewriteHook;
import io.mrt.api.registry.HookType;
import java.util.Optional;

/**
 * Operator rewriting (MRT's {@code rewrite}): every op node goes through its op's {@code rewrite}
 * hook (BatchNorm folding, scalar ops into broadcast ops with constants, average pooling into
 * convolution or sum, large FullyConnected splitting, ...); ops without the hook are kept.
 */
public final class RewritePass implements ModelPass {
  @Override
  public String name() {
    return "rewrite";
  }

  @Override
  public Model apply(Model model, PassContext ctx) {
    return GraphTransformer.transform(model, ctx.ops(), step -> {
      if (step.node().isVariable()) {
        return step.unchanged();
      }
      Optional<RewriteHook> hook = ctx.ops().hook(HookType.REWRITE, step.node());
      return hook.isEmpty() ? step.unchanged() : hook.get().rewrite(step);
    });
  }
}
