package io.mrt.runtime.plugin;

import io.mrt.runtime.registry.HandWrittenRegistry;
import java.util.List;

/** A plugin registry that also provides {@code Flatten}, which the built-ins provide. */
public final class FlattenRegistry extends HandWrittenRegistry {
  /** For ServiceLoader. */
  public FlattenRegistry() {
    super("my-flatten", "Flatten", null, null, ctx -> List.of(ctx.input(0).reshape(ctx.input(0).size(0), -1)));
  }
}
