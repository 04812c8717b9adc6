package io.mrt.ops;

import io.mrt.annotations.Attr;
import io.mrt.annotations.MrtOp;
import io.mrt.api.graph.Entry;
import io.mrt.api.graph.Shape;
import io.mrt.api.hook.ForwardContext;
import io.mrt.api.hook.ForwardHook;
import io.mrt.api.hook.InferShapeHook;
import io.mrt.api.hook.OpContext;
import io.mrt.api.hook.RewriteContext;
import io.mrt.api.hook.RewriteHook;
import io.mrt.api.hook.ShapeContext;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * MXNet's array-with-scalar ops, computed in float32 with the scalar cast to float32 first:
 * {@code _plus_scalar} (x + s), {@code _minus_scalar} (x - s), {@code _rminus_scalar} (s - x),
 * {@code _mul_scalar} (x·s), {@code _div_scalar} (x / s), {@code _rdiv_scalar} (s / x),
 * {@code _maximum_scalar}, {@code _minimum_scalar}, {@code _power_scalar} (x^s),
 * {@code _rpower_scalar} (s^x) and {@code _greater_scalar} (1 where x > s, else 0). The prepare
 * stage rewrites them into broadcast ops with a constant parameter.
 */
@MrtOp(value = {"_plus_scalar", "_minus_scalar", "_rminus_scalar", "_mul_scalar", "_div_scalar",
    "_rdiv_scalar", "_maximum_scalar", "_minimum_scalar", "_power_scalar", "_rpower_scalar",
    "_greater_scalar"},
    attrs = {
        @Attr(name = "scalar", type = double.class),
        @Attr(name = "is_int", type = boolean.class, defaultValue = "False")},
    emits = {"broadcast_add", "broadcast_sub", "broadcast_mul", "broadcast_div", "broadcast_max",
        "broadcast_greater"})
public final class ScalarOps implements InferShapeHook, ForwardHook, RewriteHook {
  /** For the registry. */
  public ScalarOps() {}

  @Override
  public List<Shape> inferShape(ShapeContext ctx) {
    return Unary.shape(ctx);
  }

  private static Unary.FloatFn fn(OpContext ctx) {
    float s = (float) ctx.attrs().getDouble("scalar");
    return switch (ctx.node().op()) {
      case "_plus_scalar" -> v -> v + s;
      case "_minus_scalar" -> v -> v - s;
      case "_rminus_scalar" -> v -> s - v;
      case "_mul_scalar" -> v -> v * s;
      case "_div_scalar" -> v -> v / s;
      case "_rdiv_scalar" -> v -> s / v;
      case "_maximum_scalar" -> v -> Math.max(v, s);
      case "_minimum_scalar" -> v -> Math.min(v, s);
      case "_power_scalar" -> v -> (float) Math.pow(v, s);
      case "_rpower_scalar" -> v -> (float) Math.pow(s, v);
      case "_greater_scalar" -> v -> v > s ? 1f : 0f;
      default -> throw ctx.error("not a scalar op");
    };
  }

  @Override
  public List<INDArray> forward(ForwardContext ctx) {
    return List.of(Unary.map(ctx.input(0), fn(ctx)));
  }

  @Override
  public List<Entry> rewrite(RewriteContext ctx) {
    return ScalarRewrite.rewrite(ctx);
  }
}
