package io.mrt.ops;

import io.mrt.annotations.Attr;
import io.mrt.annotations.MrtOp;
import io.mrt.ops.support.Reduce;

/** MXNet {@code mean}: the mean over {@code axis} (see the reduction rules of MXNet: keepdims, exclude). */
@MrtOp(value = {"mean"},
    attrs = {
        @Attr(name = "axis", type = int[].class, defaultValue = "None"),
        @Attr(name = "keepdims", type = boolean.class, defaultValue = "False"),
        @Attr(name = "exclude", type = boolean.class, defaultValue = "False")},
    emits = {"sum", "broadcast_mul"})
public final class Mean extends Reduction {
  /** For the registry. */
  public Mean() {
    super(Reduce.Kind.MEAN);
  }
}
