package io.mrt.ops.support;

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
import org.nd4j.linalg.factory.Nd4j;

/**
 * MRT's BatchNorm folding, computed in float64: with {@code sc = gamma / sqrt(var + eps)}
 * ({@code gamma = 1} when {@code fix_gamma}) and {@code b = beta - sc * mean}, a BatchNorm that is
 * the only reader of a Convolution (channel axis 1, parameter weight and bias) becomes that
 * Convolution with weight {@code W * sc} (per output channel) and bias {@code sc * bias + b} (MRT
 * adds the old bias unscaled, which is only right for a bias-free Convolution); any other BatchNorm
 * becomes {@code broadcast_add(broadcast_mul(X, sc), b)} with {@code sc} and {@code b} shaped to
 * broadcast along the channel axis. The result keeps the BatchNorm's name.
 */
public final class BatchNormRewrite {
  private BatchNormRewrite() {}

  public static List<Entry> rewrite(RewriteContext ctx) {
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
    int c = Math.toIntExact(xs.dim(axis));
    double eps = a.getDouble("eps");
    double[] g = a.getBool("fix_gamma") ? null : values(gamma.get());
    double[] bt = values(beta.get());
    double[] mu = values(mean.get());
    double[] vr = values(var.get());
    double[] sc = new double[c];
    double[] bias = new double[c];
    for (int i = 0; i < c; i++) {
      sc[i] = (g == null ? 1.0 : g[i]) / Math.sqrt(vr[i] + eps);
      bias[i] = bt[i] - sc[i] * mu[i];
    }
    DataType dt = var.get().dataType().isFPType() ? var.get().dataType() : DataType.FLOAT;

    Node conv = x.node();
    if ("Convolution".equals(conv.op()) && x.index() == 0 && axis == 1 && ctx.consumers(x) == 1) {
      Attrs ca = conv.attrs();
      boolean noBias = Attrs.parseBool("no_bias", ca.getString("no_bias", "False"));
      Optional<INDArray> w = ctx.paramValue(conv.input(1));
      Optional<INDArray> b = noBias || conv.inputs().size() < 3 ? Optional.empty() : ctx.paramValue(conv.input(2));
      if (w.isPresent() && w.get().rank() >= 2 && w.get().size(0) == c && (noBias || b.isPresent())) {
        double[] wv = values(w.get());
        int block = wv.length / c;
        for (int i = 0; i < wv.length; i++) {
          wv[i] *= sc[i / block];
        }
        double[] b2 = new double[c];
        double[] old = b.isPresent() ? values(b.get()) : new double[c];
        for (int i = 0; i < c; i++) {
          b2[i] = sc[i] * old[i] + bias[i];
        }
        Node wn = ctx.param(node.name() + "_weight", array(wv, w.get().shape(), w.get().dataType()));
        Node bn = ctx.param(node.name() + "_bias", array(b2, new long[] {c}, dt));
        Node fused = ctx.op("Convolution", node.name(), ca.with("no_bias", "False"), conv.input(0), wn.out(),
            bn.out());
        return List.of(fused.out());
      }
    }
    long[] bshape = new long[xs.rank()];
    Arrays.fill(bshape, 1);
    bshape[axis] = c;
    Node scale = ctx.param(node.name() + "_scale", array(sc, bshape, dt));
    Node shift = ctx.param(node.name() + "_bias", array(bias, bshape, dt));
    Node mul = ctx.op("broadcast_mul", node.name() + "_mul", Attrs.empty(), x, scale.out());
    Node add = ctx.op("broadcast_add", node.name(), Attrs.empty(), mul.out(), shift.out());
    return List.of(add.out());
  }

  /** The values of a parameter in row-major order, as doubles (the folding is computed in float64). */
  private static double[] values(INDArray a) {
    INDArray c = a.isView() || a.ordering() != 'c' || a.data().length() != a.length() ? a.dup('c') : a;
    return c.data().asDouble();
  }

  /** A new array of the given shape and float type, built without running an op. */
  private static INDArray array(double[] v, long[] shape, DataType dt) {
    if (dt == DataType.DOUBLE) {
      return Nd4j.create(v, shape, 'c');
    }
    float[] f = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      f[i] = (float) v[i];
    }
    INDArray out = Nd4j.create(f, shape, 'c');
    return dt == DataType.FLOAT ? out : out.castTo(dt);
  }
}
