package io.mrt.runtime.pass;

import io.mrt.api.graph.Model;
import io.mrt.api.hook.FuseTransposeHook;
import io.mrt.api.registry.HookType;
import java.util.Optional;

/**
 * Transpose fusion (MRT's {@code fuse_transpose}): every op node goes through its op's
 * {@code fuseTranspose} hook (merging transposes, dropping identity transposes, moving transposes
 * below ops that commute with them); ops without the hook are kept.
 */
public final class FuseTransposePass implements ModelPass {
  @Override
  public String name() {
    return "fuse_transpose";
  }

  @Override
  public Model apply(Model model, PassContext ctx) {
    return GraphTransformer.transform(model, ctx.ops(), step -> {
      if (step.node().isVariable()) {
        return step.unchanged();
      }
      Optional<FuseTransposeHook> hook = ctx.ops().hook(HookType.FUSE_TRANSPOSE, step.node());
      return hook.isEmpty() ? step.unchanged() : hook.get().fuseTranspose(step);
    });
  }
}
