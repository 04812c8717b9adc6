package io.mrt.ops;

import io.mrt.api.graph.Attrs;
import io.mrt.api.graph.Entry;
import io.mrt.api.graph.Node;
import io.mrt.api.graph.Shape;
import io.mrt.api.hook.RewriteContext;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * MRT's BatchNorm folding, computed in float64: with {@code sc = gamma / sqrt(var + eps)}
 * ({@code gamma = 1} when {@code fix_gamma}) and {@code b = beta - sc * mean}, a BatchNorm that is
 * the only reader of a Convolution (channel axis 1, parameter weight and bias) becomes that
 * Convolution with weight {@code W * sc} (per output channel) and bias {@code sc * bias + b} (MRT
 * adds the old bias unscaled, which is only right for a bias-free Convolution); any other BatchNorm
 * becomes {@code broadcast_add(broadcast_mul(X, sc), b)} with {@code sc} and {@code b} shaped to
 * broadcast along the channel axis. The result keeps the BatchNorm's name.
 */
final class BatchNormRewrite {
  private BatchNormRewrite() {}

  static List<Entry> rewrite(RewriteContext ctx) {
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
    long c = xs.dim(axis);
    INDArray sc = Transforms.sqrt(Consts.f64(var.get()).reshape(c).addi(a.getDouble("eps")), false).rdivi(1.0);
    if (!a.getBool("fix_gamma")) {
      sc.muli(Consts.f64(gamma.get()).reshape(c));
    }
    INDArray bias = Consts.f64(beta.get()).reshape(c).subi(sc.mul(Consts.f64(mean.get()).reshape(c)));
    DataType dt = var.get().dataType().isFPType() ? var.get().dataType() : DataType.FLOAT;

    Node conv = x.node();
    if ("Convolution".equals(conv.op()) && x.index() == 0 && axis == 1 && ctx.consumers(x) == 1) {
      Attrs ca = conv.attrs();
      boolean noBias = Attrs.parseBool("no_bias", ca.getString("no_bias", "False"));
      Optional<INDArray> w = ctx.paramValue(conv.input(1));
      Optional<INDArray> b = noBias || conv.inputs().size() < 3 ? Optional.empty() : ctx.paramValue(conv.input(2));
      if (w.isPresent() && w.get().rank() >= 2 && w.get().size(0) == c && (noBias || b.isPresent())) {
        long[] wshape = new long[w.get().rank()];
        Arrays.fill(wshape, 1);
        wshape[0] = c;
        INDArray w2 = Consts.f64(w.get()).muli(sc.reshape(wshape)).castTo(w.get().dataType());
        INDArray b2 = b.isPresent() ? Consts.f64(b.get()).reshape(c).muli(sc).addi(bias) : bias;
        Node wn = ctx.param(node.name() + "_weight", w2);
        Node bn = ctx.param(node.name() + "_bias", b2.castTo(dt));
        Node fused = ctx.op("Convolution", node.name(), ca.with("no_bias", "False"), conv.input(0), wn.out(),
            bn.out());
        return List.of(fused.out());
      }
    }
    long[] bshape = new long[xs.rank()];
    Arrays.fill(bshape, 1);
    bshape[axis] = c;
    Node scale = ctx.param(node.name() + "_scale", sc.reshape(bshape).castTo(dt));
    Node shift = ctx.param(node.name() + "_bias", bias.reshape(bshape).castTo(dt));
    Node mul = ctx.op("broadcast_mul", node.name() + "_mul", Attrs.empty(), x, scale.out());
    Node add = ctx.op("broadcast_add", node.name(), Attrs.empty(), mul.out(), shift.out());
    return List.of(add.out());
  }
}
