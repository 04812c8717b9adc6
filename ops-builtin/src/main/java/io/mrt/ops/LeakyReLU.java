package io.mrt.ops;

import io.mrt.annotations.Attr;
import io.mrt.annotations.MrtOp;
import io.mrt.annotations.When;
import io.mrt.api.graph.Attrs;
import io.mrt.api.graph.Entry;
import io.mrt.api.graph.Node;
import io.mrt.api.graph.Shape;
import io.mrt.api.hook.ForwardContext;
import io.mrt.api.hook.ForwardHook;
import io.mrt.api.hook.FuseTransposeHook;
import io.mrt.api.hook.InferShapeHook;
import io.mrt.api.hook.RewriteContext;
import io.mrt.api.hook.RewriteHook;
import io.mrt.api.hook.ShapeContext;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * MXNet {@code LeakyReLU} with {@code act_type=leaky}: {@code x > 0 ? x : slope * x}. Rewritten in
 * prepare into {@code relu(X) - slope * relu(-X)} (relu, negative, broadcast_mul with a constant,
 * elemwise_sub), which the quantizer handles.
 */
@MrtOp(value = "LeakyReLU", when = @When(attr = "act_type", equals = "leaky"),
    attrs = {
        @Attr(name = "act_type", type = String.class, defaultValue = "leaky"),
        @Attr(name = "slope", type = double.class, defaultValue = "0.25"),
        @Attr(name = "lower_bound", type = double.class, defaultValue = "0.125"),
        @Attr(name = "upper_bound", type = double.class, defaultValue = "0.334")})
public final class LeakyReLU implements InferShapeHook, ForwardHook, RewriteHook, FuseTransposeHook {
  /** For the registry. */
  public LeakyReLU() {}

  @Override
  public List<Shape> inferShape(ShapeContext ctx) {
    return List.of(ctx.inputShape(0));
  }

  @Override
  public List<INDArray> forward(ForwardContext ctx) {
    double slope = ctx.attrs().getDouble("slope");
    INDArray x = ctx.input(0);
    INDArray pos = Transforms.relu(x, true);
    INDArray neg = Transforms.relu(x.neg(), false).muli(slope);
    return List.of(pos.subi(neg));
  }

  @Override
  public List<Entry> rewrite(RewriteContext ctx) {
    Node node = ctx.node();
    String n = node.name();
    Entry x = ctx.input(0);
    Node pos = ctx.op("relu", n + "_pos", Attrs.empty(), x);
    Node negX = ctx.op("negative", n + "_neg", Attrs.empty(), x);
    Node neg = ctx.op("relu", n + "_neg_relu", Attrs.empty(), negX.out());
    Entry slope = Consts.scalar(ctx, n + "_slope", ctx.attrs().getDouble("slope"));
    Node scaled = ctx.op("broadcast_mul", n + "_neg_scaled", Attrs.empty(), neg.out(), slope);
    Node out = ctx.op("elemwise_sub", n, Attrs.empty(), pos.out(), scaled.out());
    return List.of(out.out());
  }

  @Override
  public List<Entry> fuseTranspose(RewriteContext ctx) {
    return TransposeFusion.pushBelowUnary(ctx);
  }
}
