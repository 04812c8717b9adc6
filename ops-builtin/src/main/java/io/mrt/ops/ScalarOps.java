package io.mrt.ops;

import io.mrt.annotations.Attr;
import io.mrt.annotations.MrtOp;
import io.mrt.api.graph.Attrs;
import io.mrt.api.graph.Entry;
import io.mrt.api.graph.Node;
import io.mrt.api.graph.Shape;
import io.mrt.api.hook.ForwardContext;
import io.mrt.api.hook.ForwardHook;
import io.mrt.api.hook.InferShapeHook;
import io.mrt.api.hook.RewriteContext;
import io.mrt.api.hook.RewriteHook;
import io.mrt.api.hook.ShapeContext;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * MXNet's tensor-scalar ops: {@code _plus_scalar}, {@code _minus_scalar}, {@code _rminus_scalar},
 * {@code _mul_scalar}, {@code _div_scalar}, {@code _rdiv_scalar}, {@code _maximum_scalar},
 * {@code _minimum_scalar}, {@code _greater_scalar} (1 where {@code x > scalar}, else 0).
 *
 * <p>Rewrite (prepare), as MRT: {@code _plus_scalar} becomes {@code broadcast_add} with a constant
 * (or disappears when the scalar is 0), {@code _minus_scalar} {@code broadcast_sub(X, c)},
 * {@code _rminus_scalar} {@code broadcast_sub(c, X)}, {@code _mul_scalar} {@code broadcast_mul(X,
 * c)}, {@code _div_scalar} {@code broadcast_mul(X, 1/c)}; the others stay.
 */
@MrtOp(value = {"_plus_scalar", "_minus_scalar", "_rminus_scalar", "_mul_scalar", "_div_scalar",
    "_rdiv_scalar", "_maximum_scalar", "_minimum_scalar", "_greater_scalar"},
    attrs = @Attr(name = "scalar", type = double.class, defaultValue = "1"))
public final class ScalarOps implements InferShapeHook, ForwardHook, RewriteHook {
  /** For the registry. */
  public ScalarOps() {}

  @Override
  public List<Shape> inferShape(ShapeContext ctx) {
    return List.of(ctx.inputShape(0));
  }

  @Override
  public List<INDArray> forward(ForwardContext ctx) {
    INDArray x = ctx.input(0);
    double s = ctx.attrs().getDouble("scalar");
    INDArray y = switch (ctx.node().op()) {
      case "_plus_scalar" -> x.add(s);
      case "_minus_scalar" -> x.sub(s);
      case "_rminus_scalar" -> x.rsub(s);
      case "_mul_scalar" -> x.mul(s);
      case "_div_scalar" -> x.div(s);
      case "_rdiv_scalar" -> x.rdiv(s);
      case "_maximum_scalar" -> Transforms.max(x, s, true);
      case "_minimum_scalar" -> Transforms.min(x, s, true);
      case "_greater_scalar" -> x.gt(s).castTo(x.dataType());
      default -> throw ctx.error("not a scalar op");
    };
    return List.of(y);
  }

  @Override
  public List<Entry> rewrite(RewriteContext ctx) {
    Node node = ctx.node();
    String n = node.name();
    double s = ctx.attrs().getDouble("scalar");
    Entry x = ctx.input(0);
    switch (node.op()) {
      case "_plus_scalar":
        if (s == 0) {
          return List.of(x);
        }
        return List.of(ctx.op("broadcast_add", n, Attrs.empty(), x, Consts.scalar(ctx, n + "_scalar", s)).out());
      case "_minus_scalar":
        return List.of(ctx.op("broadcast_sub", n, Attrs.empty(), x, Consts.scalar(ctx, n + "_scalar", s)).out());
      case "_rminus_scalar":
        return List.of(ctx.op("broadcast_sub", n, Attrs.empty(), Consts.scalar(ctx, n + "_scalar", s), x).out());
      case "_mul_scalar":
        return List.of(ctx.op("broadcast_mul", n, Attrs.empty(), x, Consts.scalar(ctx, n + "_scalar", s)).out());
      case "_div_scalar":
        return List.of(ctx.op("broadcast_mul", n, Attrs.empty(), x, Consts.scalar(ctx, n + "_scalar", 1.0 / s)).out());
      default:
        return ctx.unchanged();
    }
  }
}
