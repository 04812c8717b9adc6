package io.mrt.runtime.plugin;

import io.mrt.runtime.registry.HandWrittenRegistry;

/** A plugin registry whose constructor throws, as a registry compiled against another API might. */
public final class ThrowingRegistry extends HandWrittenRegistry {
  /** For ServiceLoader; always throws. */
  public ThrowingRegistry() {
    super("throwing", "softsign", null, null, ctx -> null);
    throw new IllegalStateException("registry initialisation failed");
  }
}
