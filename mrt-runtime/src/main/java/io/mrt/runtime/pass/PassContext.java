package io.mrt.runtime.pass;

import io.mrt.runtime.registry.OpTable;
import java.util.Objects;

/** What every pass receives: the op table through which it reaches the ops' hooks. */
public final class PassContext {
  private final OpTable ops;

  /** A context over the given op table. */
  public PassContext(OpTable ops) {
    this.ops = Objects.requireNonNull(ops, "ops");
  }

  /** The merged op table. */
  public OpTable ops() {
    return ops;
  }
}
