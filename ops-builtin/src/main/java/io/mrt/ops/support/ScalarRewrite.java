package io.mrt.ops.support;

import io.mrt.api.graph.Attrs;
import io.mrt.api.graph.Entry;
import io.mrt.api.graph.Node;
import io.mrt.api.hook.RewriteContext;
import java.util.List;

/**
 * MRT's rewrite of tensor-scalar ops into broadcast ops with a constant parameter of shape (1,):
 * {@code _plus_scalar} becomes {@code broadcast_add(X, c)} (or {@code X} when {@code c} is 0),
 * {@code _minus_scalar} {@code broadcast_sub(X, c)}, {@code _rminus_scalar}
 * {@code broadcast_sub(c, X)}, {@code _mul_scalar} {@code broadcast_mul(X, c)},
 * {@code _div_scalar} {@code broadcast_mul(X, 1/c)}; the others stay. The result keeps the name.
 */
public final class ScalarRewrite {
  private ScalarRewrite() {}

  public static List<Entry> rewrite(RewriteContext ctx) {
    Node node = ctx.node();
    String n = node.name();
    double s = ctx.attrs().getDouble("scalar");
    Entry x = ctx.input(0);
    return switch (node.op()) {
      case "_plus_scalar" -> s == 0 ? List.of(x)
          : List.of(ctx.op("broadcast_add", n, Attrs.empty(), x, Consts.scalar(ctx, n + "_scalar", s)).out());
      case "_minus_scalar" -> s == 0 ? List.of(x)
          : List.of(ctx.op("broadcast_sub", n, Attrs.empty(), x, Consts.scalar(ctx, n + "_scalar", s)).out());
      case "_rminus_scalar" ->
          List.of(ctx.op("broadcast_sub", n, Attrs.empty(), Consts.scalar(ctx, n + "_scalar", s), x).out());
      case "_mul_scalar" ->
          List.of(ctx.op("broadcast_mul", n, Attrs.empty(), x, Consts.scalar(ctx, n + "_scalar", s)).out());
      case "_div_scalar" ->
          List.of(ctx.op("broadcast_mul", n, Attrs.empty(), x, Consts.scalar(ctx, n + "_scalar", 1.0 / s)).out());
      default -> ctx.unchanged();
    };
  }
}
