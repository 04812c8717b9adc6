package io.mrt.ops;

import io.mrt.api.graph.Entry;
import io.mrt.api.graph.Shape;
import io.mrt.api.hook.PrecisionContext;
import io.mrt.api.hook.QuantMath;
import io.mrt.api.hook.QuantizeContext;
import io.mrt.api.hook.Quantized;
import java.util.ArrayList;
import java.util.List;

/**
 * MRT's shared quantize rules ({@code tfm_ops.py}: {@code _quantize_xwb}, {@code _quantize_scale})
 * and the CVM precision rules they produce, used by several op classes.
 */
final class QuantizeRules {
  private QuantizeRules() {}

  /**
   * MRT's {@code _quantize_xwb} (Convolution, FullyConnected): the data requantized to the op's
   * input precision p (default scale {@code R(p)/th_x}), the weight requantized to p bits (scale
   * {@code R(p)/th_w}), the bias, if any, requantized with scale {@code s_x * s_w} to
   * {@code bitsOf(th_b * s_x * s_w)} bits. Output scale {@code s_x * s_w}; precision
   * {@code bitCount(K) + p_x + p_w}, with a bias {@code max(that, p_b) + 1}, where K is the size of
   * one weight row ({@code C/g * kh * kw} or the dense input width).
   */
  static Quantized xwb(QuantizeContext ctx, boolean noBias) {
    int p = ctx.inputPrecision();
    if (!ctx.isParam(ctx.input(1))) {
      throw ctx.error("the weight (input 1) must be a parameter to be quantized, found " + ctx.input(1));
    }
    Quantized x = ctx.requantOperator(ctx.input(0), p, Double.NaN);
    Quantized w = ctx.requantParameter(ctx.input(1), p, Double.NaN);
    double s = x.scale() * w.scale();
    List<Entry> inputs = new ArrayList<>(List.of(x.output(), w.output()));
    long k = rowSize(ctx.shapeOf(ctx.input(1)));
    int prec = QuantMath.bitCount(k) + x.precision() + w.precision();
    if (!noBias) {
      Entry bias = ctx.input(2);
      if (!ctx.isParam(bias)) {
        throw ctx.error("the bias (input 2) must be a parameter to be quantized, found " + bias);
      }
      int bp = QuantMath.bitsOf(ctx.threshold(bias) * s);
      Quantized b = ctx.requantParameter(bias, bp, s);
      inputs.add(b.output());
      prec = Math.max(prec, b.precision()) + 1;
    }
    Entry out = ctx.rebuild(inputs.toArray(Entry[]::new));
    return new Quantized(out, s, prec);
  }

  /** The number of weights one output reads: the product of the weight shape without axis 0. */
  static long rowSize(Shape w) {
    long k = 1;
    for (int i = 1; i < w.rank(); i++) {
      k = Math.multiplyExact(k, w.dim(i));
    }
    return k;
  }

  /**
   * The CVM precision rule of conv2d and dense: both data and weight at most 8 bits;
   * {@code ip0 + ip1 + bitCount(K)}, with a bias {@code max(that, ip2) + 1}.
   */
  static List<Integer> xwbPrecision(PrecisionContext ctx, boolean noBias) {
    ctx.requireInputsAtMost(8, 2);
    int p = ctx.inputPrecision(0) + ctx.inputPrecision(1) + QuantMath.bitCount(rowSize(ctx.inputShape(1)));
    if (!noBias) {
      p = Math.max(p, ctx.inputPrecision(2)) + 1;
    }
    return List.of(p);
  }

  /**
   * MRT's {@code _quantize_scale} (elemwise/broadcast add and sub, Concat, slice_like): every
   * input requantized exactly to the common scale {@code R(p)/max(th_i)}, p the op's input
   * precision. Precision {@code max(p_i) + 1}, or {@code max(p_i)} when {@code concat}.
   */
  static Quantized commonScale(QuantizeContext ctx, boolean concat) {
    int p = ctx.inputPrecision();
    double th = 0;
    for (Entry e : ctx.inputs()) {
      th = Math.max(th, ctx.threshold(e));
    }
    double s = QuantMath.scale(th, p);
    List<Entry> inputs = new ArrayList<>();
    int prec = 0;
    for (Entry e : ctx.inputs()) {
      Quantized q = ctx.requantize(e, p, s);
      inputs.add(q.output());
      prec = Math.max(prec, q.precision());
    }
    Entry out = ctx.rebuild(inputs.toArray(Entry[]::new));
    return new Quantized(out, s, concat ? prec : prec + 1);
  }

  /** The CVM rule of ops whose output keeps input 0's precision (relu, max_pool2d, flatten, ...). */
  static List<Integer> sameAsInput(PrecisionContext ctx) {
    return List.of(ctx.inputPrecision(0));
  }
}
