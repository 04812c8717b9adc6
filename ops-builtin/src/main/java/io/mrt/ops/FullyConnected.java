package io.mrt.ops;

import io.mrt.annotations.Attr;
import io.mrt.annotations.MrtOp;
import io.mrt.api.graph.Shape;
import io.mrt.api.graph.Entry;
import io.mrt.api.hook.InferShapeHook;
import io.mrt.api.hook.RewriteContext;
import io.mrt.api.hook.RewriteHook;
import io.mrt.api.hook.ShapeContext;
import java.util.List;

/** MXNet {@code FullyConnected}, lowered to CVM {@code dense} (with {@code flatten} when asked). */
@MrtOp(value = "FullyConnected",
    attrs = {
        @Attr(name = "num_hidden", type = int.class),
        @Attr(name = "no_bias", type = boolean.class, defaultValue = "False"),
        @Attr(name = "flatten", type = boolean.class, defaultValue = "True")},
    emits = {"dense", "flatten", "reshape"}, inputPrecision = 8)
public final class FullyConnected implements InferShapeHook, RewriteHook {
  /** For the registry. */
  public FullyConnected() {}

  @Override
  public List<Shape> inferShape(ShapeContext ctx) {
    Shape x = ctx.inputShape(0);
    int units = ctx.attrs().getInt("num_hidden");
    boolean flatten = ctx.attrs().getBool("flatten");
    long k = flatten ? x.size() / x.dim(0) : x.dim(-1);
    Shape w = ctx.inputShape(1);
    if (!w.equals(Shape.of(units, k))) {
      throw ctx.error("weight shape must be " + Shape.of(units, k) + ", found " + w);
    }
    return List.of(flatten ? Shape.of(x.dim(0), units) : x.withDim(-1, units));
  }

  @Override
  public List<Entry> rewrite(RewriteContext ctx) {
    return DenseRewrite.rewrite(ctx);
  }
}
