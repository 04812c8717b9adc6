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
import io.mrt.ops.support.QuantizeRules;
import io.mrt.ops.support.Reduce;
import java.util.List;

/** MXNet {@code sum}: the sum over {@code axis} (see the reduction rules of MXNet: keepdims, exclude). */
@MrtOp(value = {"sum", "sum_axis"},
    attrs = {
        @Attr(name = "axis", type = int[].class, defaultValue = "None"),
        @Attr(name = "keepdims", type = boolean.class, defaultValue = "False"),
        @Attr(name = "exclude", type = boolean.class, defaultValue = "False")},
    emits = {"sum"}, inputPrecision = 8)
public final class Sum extends Reduction implements QuantizeHook, LowerToCvmHook {
  /** For the registry. */
  public Sum() {
    super(Reduce.Kind.SUM);
  }

  /** MRT's sum: see {@link QuantizeRules#sum}. */
  @Override
  public Quantized quantize(QuantizeContext ctx) {
    return QuantizeRules.sum(ctx);
  }

  /** CVM {@code sum} over explicit axes. */
  @Override
  public List<Entry> lowerToCvm(LowerContext ctx) {
    return Lowering.reduce(ctx, "sum");
  }
}
