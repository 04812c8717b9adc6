package io.mrt.runtime.registry;

import io.mrt.api.registry.OpDescriptor;

/** An op descriptor with the registry that provides it. */
public record ResolvedOp(OpDescriptor descriptor, OpSource source) {
  /** The dispatch key within the registry. */
  public String key() {
    return descriptor.key();
  }
}
