package io.mrt.ops;

import io.mrt.annotations.Attr;
import io.mrt.annotations.MrtOp;
import io.mrt.api.graph.Entry;
import io.mrt.api.hook.LowerContext;
import io.mrt.api.hook.LowerToCvmHook;
import io.mrt.api.hook.QuantizeContext;
import io.mrt.api.hook.QuantizeHook;
import io.mrt.api.hook.Quantized;
import io.mrt.ops.support.Lowering;
import io.mrt.ops.support.Reduce;
import java.util.List;

/** MXNet {@code max}: the maximum over {@code axis} (see the reduction rules of MXNet: keepdims, exclude). */
@MrtOp(value = {"max", "max_axis"},
    attrs = {
        @Attr(name = "axis", type = int[].class, defaultValue = "None"),
        @Attr(name = "keepdims", type = boolean.class, defaultValue = "False"),
        @Attr(name = "exclude", type = boolean.class, defaultValue = "False")},
    emits = {"max"})
public final class Max extends Reduction implements QuantizeHook, LowerToCvmHook {
  /** For the registry. */
  public Max() {
    super(Reduce.Kind.MAX);
  }

  /** MRT's default: the input's scale and precision pass through. */
  @Override
  public Quantized quantize(QuantizeContext ctx) {
    return ctx.keepScale();
  }

  /** CVM {@code max} over explicit axes. */
  @Override
  public List<Entry> lowerToCvm(LowerContext ctx) {
    return Lowering.reduce(ctx, "max");
  }
}
