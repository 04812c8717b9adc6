package io.mrt.ops;

import io.mrt.annotations.Attr;
import io.mrt.annotations.MrtOp;
import io.mrt.api.graph.Entry;
import io.mrt.api.graph.Shape;
import io.mrt.api.hook.ForwardContext;
import io.mrt.api.hook.ForwardHook;
import io.mrt.api.hook.InferShapeHook;
import io.mrt.api.hook.LowerContext;
import io.mrt.api.hook.LowerToCvmHook;
import io.mrt.api.hook.OpContext;
import io.mrt.api.hook.QuantMath;
import io.mrt.api.hook.QuantizeContext;
import io.mrt.api.hook.QuantizeHook;
import io.mrt.api.hook.Quantized;
import io.mrt.api.hook.RewriteContext;
import io.mrt.api.hook.RewriteHook;
import io.mrt.api.hook.ShapeContext;
import io.mrt.ops.support.ScalarRewrite;
import io.mrt.ops.support.Unary;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * MXNet's array-with-scalar ops, computed in float32 with the scalar cast to float32 first:
 * {@code _plus_scalar} (x + s), {@code _minus_scalar} (x - s), {@code _rminus_scalar} (s - x),
 * {@code _mul_scalar} (x·s), {@code _div_scalar} (x / s), {@code _rdiv_scalar} (s / x),
 * {@code _maximum_scalar}, {@code _minimum_scalar}, {@code _power_scalar} (x^s),
 * {@code _rpower_scalar} (s^x) and {@code _greater_scalar} (1 where x > s, else 0). The prepare
 * stage rewrites the additive and multiplicative ones into broadcast ops with a constant parameter.
 *
 * <p>{@code _greater_scalar} also has an integer form: quantized with its input unchanged and the
 * scalar replaced by {@code floor(s * s_x)} (for an integer {@code q}, {@code q / s_x > s} exactly
 * when {@code q > floor(s * s_x)}), its 0/1 output of scale 1; lowered as MRT compiles it, to CVM
 * {@code broadcast_greater(X, c)} with a constant parameter {@code c} holding that integer. The
 * other scalar ops have no integer form.
 */
@MrtOp(value = {"_plus_scalar", "_minus_scalar", "_rminus_scalar", "_mul_scalar", "_div_scalar",
    "_rdiv_scalar", "_maximum_scalar", "_minimum_scalar", "_power_scalar", "_rpower_scalar",
    "_greater_scalar"},
    attrs = {
        @Attr(name = "scalar", type = double.class),
        @Attr(name = "is_int", type = boolean.class, defaultValue = "False")},
    emits = {"broadcast_add", "broadcast_sub", "broadcast_mul", "broadcast_div", "broadcast_max",
        "broadcast_greater"})
public final class ScalarOps implements InferShapeHook, ForwardHook, RewriteHook, QuantizeHook,
    LowerToCvmHook {
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

  private static void requireGreater(OpContext ctx) {
    if (!ctx.node().op().equals("_greater_scalar")) {
      throw ctx.error("the op has no integer form (the prepare stage rewrites only _plus_scalar, _minus_scalar, "
          + "_rminus_scalar, _mul_scalar and _div_scalar; _greater_scalar is quantized as is); restore it to float");
    }
  }

  /**
   * {@code _greater_scalar}: the input kept, the scalar replaced by {@code floor(s * s_x)} clamped
   * to {@code [-R(p_x) - 1, R(p_x)]} (the same comparison on every value of precision {@code p_x});
   * a 0/1 output of scale 1 whose precision is the input's (the CVM rule of broadcast_greater).
   */
  @Override
  public Quantized quantize(QuantizeContext ctx) {
    requireGreater(ctx);
    Entry x = ctx.input(0);
    if (ctx.isParam(x)) {
      throw ctx.error("the input must be an operator output, found the parameter " + x);
    }
    int p = ctx.precision(x);
    long r = QuantMath.range(p);
    double k = Math.floor(ctx.attrs().getDouble("scalar") * ctx.scale(x));
    long c = (long) Math.max(-r - 1, Math.min(r, k));
    Entry out = ctx.rebuild(ctx.node().attrs().with("scalar", String.valueOf(c)), x);
    return new Quantized(out, 1.0, p);
  }

  /** MRT's compile: CVM {@code broadcast_greater(X, c)}, {@code c} a (1,) parameter holding the integer scalar. */
  @Override
  public List<Entry> lowerToCvm(LowerContext ctx) {
    requireGreater(ctx);
    double s = ctx.attrs().getDouble("scalar");
    if (s != Math.rint(s) || Math.abs(s) > Integer.MAX_VALUE - 1L) {
      throw ctx.error("the scalar must be an integer of at most 31 bits in the quantized graph, found " + s);
    }
    long c = (long) s;
    Entry constant = ctx.param(ctx.node().name() + "_scalar",
        Nd4j.create(new double[] {c}, new long[] {1}, DataType.DOUBLE), QuantMath.bitsOf(c));
    return List.of(ctx.emit("broadcast_greater", io.mrt.api.graph.Attrs.empty(), ctx.input(0), constant));
  }
}
