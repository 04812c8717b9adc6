package io.mrt.ops.support;

import io.mrt.api.graph.Attrs;
import io.mrt.api.graph.Entry;
import io.mrt.api.graph.Node;
import io.mrt.api.graph.Shape;
import io.mrt.api.hook.RewriteContext;
import java.util.List;
import java.util.Optional;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Rewrites of activations into ops the quantizer handles.
 * <ul>
 *   <li>{@code LeakyReLU}: {@code leaky} (slope {@code s}) and {@code rrelu} (in inference the mean
 *       slope {@code (lower_bound + upper_bound) / 2}) become {@code relu(X) - s * relu(-X)}
 *       (relu, negative, broadcast_mul with a constant, elemwise_sub), as MRT; {@code prelu} with a
 *       parameter slope the same with the slope shaped to broadcast along axis 1; {@code elu} and
 *       {@code selu} stay.
 *   <li>{@code Activation(act_type=sigmoid)} becomes the {@code sigmoid} op.
 * </ul>
 */
public final class ActivationRewrites {
  private ActivationRewrites() {}

  public static List<Entry> leakyRelu(RewriteContext ctx) {
    Node node = ctx.node();
    String n = node.name();
    String type = ctx.attrs().getString("act_type");
    Entry x = ctx.input(0);
    Entry slope;
    switch (type) {
      case "leaky" -> slope = Consts.scalar(ctx, n + "_slope", ctx.attrs().getDouble("slope"));
      case "rrelu" -> slope = Consts.scalar(ctx, n + "_slope",
          (ctx.attrs().getDouble("lower_bound") + ctx.attrs().getDouble("upper_bound")) / 2);
      case "prelu" -> {
        Optional<INDArray> g = ctx.paramValue(ctx.input(1));
        if (g.isEmpty()) {
          return ctx.unchanged();
        }
        Shape xs = ctx.shapeOf(x);
        long[] shape = new long[xs.rank()];
        java.util.Arrays.fill(shape, 1);
        if (g.get().length() > 1) {
          shape[1] = g.get().length();
        }
        slope = ctx.param(n + "_slope", g.get().dup().reshape(shape)).out();
      }
      default -> {
        return ctx.unchanged();
      }
    }
    Node pos = ctx.op("relu", n + "_pos", Attrs.empty(), x);
    Node negX = ctx.op("negative", n + "_neg", Attrs.empty(), x);
    Node neg = ctx.op("relu", n + "_neg_relu", Attrs.empty(), negX.out());
    Node scaled = ctx.op("broadcast_mul", n + "_neg_scaled", Attrs.empty(), neg.out(), slope);
    return List.of(ctx.op("elemwise_sub", n, Attrs.empty(), pos.out(), scaled.out()).out());
  }

  public static List<Entry> sigmoid(RewriteContext ctx) {
    if (!"Activation".equals(ctx.node().op())) {
      return ctx.unchanged();
    }
    return List.of(ctx.op("sigmoid", ctx.node().name(), Attrs.empty(), ctx.input(0)).out());
  }
}
