package io.mrt.runtime.plugin;

import io.mrt.runtime.registry.HandWrittenRegistry;
import java.util.List;

/** A plugin registry providing {@code Activation[act_type=tanh]} (forward: a copy of the input). */
public final class TanhLikeRegistry extends HandWrittenRegistry {
  /** For ServiceLoader. */
  public TanhLikeRegistry() {
    super("tanh-like", "Activation", "act_type", "tanh", ctx -> List.of(ctx.input(0).dup()));
  }
}
