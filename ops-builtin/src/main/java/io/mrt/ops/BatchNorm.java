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
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * MXNet {@code BatchNorm} in inference mode: {@code (x - moving_mean) / sqrt(moving_var + eps) *
 * gamma + beta} along {@code axis} ({@code gamma = 1} when {@code fix_gamma}). Inputs: data, gamma,
 * beta, moving_mean, moving_var.
 *
 * <p>Rewrite (prepare): with {@code sc = gamma / sqrt(var + eps)} and {@code b = beta - sc * mean},
 * a BatchNorm that is the only reader of a Convolution is folded into it ({@code W * sc}, bias
 * {@code sc * bias + b}); any other BatchNorm becomes {@code broadcast_add(broadcast_mul(X, sc), b)}.
 */
@MrtOp(value = "BatchNorm",
    attrs = {
        @Attr(name = "eps", type = double.class, defaultValue = "0.001"),
        @Attr(name = "momentum", type = double.class, defaultValue = "0.9"),
        @Attr(name = "fix_gamma", type = boolean.class, defaultValue = "True"),
        @Attr(name = "use_global_stats", type = boolean.class, defaultValue = "False"),
        @Attr(name = "output_mean_var", type = boolean.class, defaultValue = "False"),
        @Attr(name = "axis", type = int.class, defaultValue = "1"),
        @Attr(name = "cudnn_off", type = boolean.class, defaultValue = "False")})
public final class BatchNorm implements InferShapeHook, ForwardHook, RewriteHook {
  /** For the registry. */
  public BatchNorm() {}

  @Override
  public List<Shape> inferShape(ShapeContext ctx) {
    if (ctx.inputShapes().size() != 5) {
      throw ctx.error("expects 5 inputs (data, gamma, beta, moving_mean, moving_var), found " + ctx.inputShapes().size());
    }
    Shape x = ctx.inputShape(0);
    int axis = Axes.normalize(ctx, "axis", ctx.attrs().getInt("axis"), x.rank());
    Shape c = Shape.of(x.dim(axis));
    for (int i = 1; i < 5; i++) {
      if (ctx.inputShape(i).size() != x.dim(axis) || ctx.inputShape(i).rank() != 1) {
        throw ctx.error("input " + i + " must have shape " + c + " (the channels of axis " + axis + "), found "
            + ctx.inputShape(i));
      }
    }
    List<Shape> out = new ArrayList<>();
    out.add(x);
    for (int i = 1; i < ctx.node().numOutputs(); i++) {
      out.add(c);
    }
    return out;
  }

  @Override
  public List<INDArray> forward(ForwardContext ctx) {
    INDArray x = ctx.input(0);
    int axis = Axes.normalize(ctx, "axis", ctx.attrs().getInt("axis"), x.rank());
    long[] bshape = new long[x.rank()];
    java.util.Arrays.fill(bshape, 1);
    bshape[axis] = x.size(axis);
    INDArray mean = ctx.input(3).reshape(bshape);
    INDArray var = ctx.input(4);
    INDArray gamma = ctx.attrs().getBool("fix_gamma") ? null : ctx.input(1);
    INDArray inv = Transforms.sqrt(var.add(ctx.attrs().getDouble("eps")), true);
    INDArray y = x.sub(mean).divi(inv.reshape(bshape));
    if (gamma != null) {
      y.muli(gamma.reshape(bshape));
    }
    y.addi(ctx.input(2).reshape(bshape));
    List<INDArray> out = new ArrayList<>();
    out.add(y);
    for (int i = 1; i < ctx.node().numOutputs(); i++) {
      out.add(ctx.input(2 + i).dup());
    }
    return out;
  }

  @Override
  public List<Entry> rewrite(RewriteContext ctx) {
    Node node = ctx.node();
    Optional<INDArray> gamma = ctx.paramValue(ctx.input(1));
    Optional<INDArray> beta = ctx.paramValue(ctx.input(2));
    Optional<INDArray> mean = ctx.paramValue(ctx.input(3));
    Optional<INDArray> var = ctx.paramValue(ctx.input(4));
    if (node.numOutputs() != 1 || gamma.isEmpty() || beta.isEmpty() || mean.isEmpty() || var.isEmpty()) {
      return ctx.unchanged();
    }
    Attrs a = ctx.attrs();
    Entry x = ctx.input(0);
    Shape xs = ctx.shapeOf(x);
    int axis = Axes.normalize(ctx, "axis", a.getInt("axis"), xs.rank());
    INDArray sc = Transforms.sqrt(Consts.f64(var.get()).addi(a.getDouble("eps")), false).rdivi(1.0);
    if (!a.getBool("fix_gamma")) {
      sc.muli(Consts.f64(gamma.get()));
    }
    INDArray bias = Consts.f64(beta.get()).subi(sc.mul(Consts.f64(mean.get())));
    org.nd4j.linalg.api.buffer.DataType dt = var.get().dataType();

    Node conv = x.node();
    if ("Convolution".equals(conv.op()) && x.index() == 0 && axis == 1 && ctx.consumers(x) == 1) {
      Optional<INDArray> w = ctx.paramValue(conv.input(1));
      Attrs ca = conv.attrs();
      boolean noBias = ca.getBool("no_bias", false);
      Optional<INDArray> b = noBias ? Optional.empty() : ctx.paramValue(conv.input(2));
      if (w.isPresent() && (noBias || b.isPresent()) && w.get().rank() >= 2) {
        long[] wshape = new long[w.get().rank()];
        java.util.Arrays.fill(wshape, 1);
        wshape[0] = sc.length();
        INDArray w2 = Consts.f64(w.get()).muli(sc.reshape(wshape)).castTo(w.get().dataType());
        INDArray b2 = b.isPresent() ? Consts.f64(b.get()).muli(sc).addi(bias) : bias;
        Node wn = ctx.param(node.name() + "_weight", w2);
        Node bn = ctx.param(node.name() + "_bias", b2.castTo(dt));
        Node fused = ctx.op("Convolution", node.name(), ca.with("no_bias", "False"), conv.input(0), wn.out(), bn.out());
        return List.of(fused.out());
      }
    }
    long[] bshape = new long[xs.rank()];
    java.util.Arrays.fill(bshape, 1);
    bshape[axis] = xs.dim(axis);
    Node scale = ctx.param(node.name() + "_scale", sc.reshape(bshape).castTo(dt));
    Node shift = ctx.param(node.name() + "_bias", bias.reshape(bshape).castTo(dt));
    Node mul = ctx.op("broadcast_mul", node.name() + "_mul", Attrs.empty(), x, scale.out());
    Node add = ctx.op("broadcast_add", node.name(), Attrs.empty(), mul.out(), shift.out());
    return List.of(add.out());
  }
}
