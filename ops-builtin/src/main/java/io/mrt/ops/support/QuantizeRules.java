package io.mrt.ops.support;

import io.mrt.annotations.cvm.CvmRules;
import io.mrt.api.graph.Attrs;
import io.mrt.api.graph.Entry;
import io.mrt.api.graph.Shape;
import io.mrt.api.hook.PrecisionContext;
import io.mrt.api.hook.QuantMath;
import io.mrt.api.hook.QuantizeContext;
import io.mrt.api.hook.Quantized;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * MRT's shared quantize rules ({@code tfm_ops.py}: {@code _quantize_xwb}, {@code _quantize_scale}),
 * used by several op classes, and the precision rule of conv2d and dense as Convolution and
 * FullyConnected state it (from the table of CVM operator rules).
 */
public final class QuantizeRules {
  private QuantizeRules() {}

  /**
   * MRT's {@code _quantize_xwb} (Convolution, FullyConnected): the data requantized to the op's
   * input precision p (default scale {@code R(p)/th_x}), the weight requantized to p bits (scale
   * {@code R(p)/th_w}), the bias, if any, requantized with scale {@code s_x * s_w} to
   * {@code bitsOf(th_b * s_x * s_w)} bits. Output scale {@code s_x * s_w}; precision
   * {@code bitCount(K) + p_x + p_w}, with a bias {@code max(that, p_b) + 1}, where K is the size of
   * one weight row ({@code C/g * kh * kw} or the dense input width).
   */
  public static Quantized xwb(QuantizeContext ctx, boolean noBias) {
    int p = ctx.inputPrecision();
    if (!ctx.isParam(ctx.input(1))) {
      throw ctx.error("the weight (input 1) must be a parameter to be quantized, found " + ctx.input(1));
    }
    if (ctx.perChannelWeights()) {
      Quantized q = PerChannel.xwb(ctx, noBias);
      if (q != null) {
        return q;
      }
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
  public static long rowSize(Shape w) {
    return CvmRules.rowSize(w.dims());
  }

  /**
   * The CVM precision rule of conv2d and dense: both data and weight at most 8 bits;
   * {@code ip0 + ip1 + bitCount(K)}, with a bias {@code max(that, ip2) + 1}.
   */
  public static List<Integer> xwbPrecision(PrecisionContext ctx, boolean noBias) {
    ctx.requireInputsAtMost(CvmRules.get("conv2d").maxInputBits(), 2);
    int[] ip = ctx.inputPrecisions().stream().mapToInt(Integer::intValue).toArray();
    return List.of(CvmRules.xwb(ip, rowSize(ctx.inputShape(1)), !noBias));
  }

  /**
   * MRT's {@code _quantize_scale} (elemwise/broadcast add and sub, Concat, slice_like): every
   * input requantized exactly to the common scale {@code R(p)/max(th_i)}, p the op's input
   * precision. Precision {@code max(p_i) + 1}, or {@code max(p_i)} when {@code concat}.
   */
  public static Quantized commonScale(QuantizeContext ctx, boolean concat) {
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






  /**
   * MRT's broadcast_add/broadcast_sub: when one input's threshold is 0 (all zeros) the op is the
   * other input (kept as is; a parameter is requantized to the op's input precision, where MRT
   * would leave it float); when both are 0 the output is zero (both clipped to 1 bit, scale 1);
   * otherwise {@link #commonScale}.
   */
  public static Quantized addOrPassThrough(QuantizeContext ctx) {
    double t0 = ctx.threshold(ctx.input(0));
    double t1 = ctx.threshold(ctx.input(1));
    if (t0 == 0 && t1 == 0) {
      Quantized a = ctx.requantize(ctx.input(0), 1, 1.0);
      Quantized b = ctx.requantize(ctx.input(1), 1, 1.0);
      return new Quantized(ctx.rebuild(a.output(), b.output()), 1.0, 2);
    }
    if (t0 == 0 || t1 == 0) {
      Entry other = ctx.input(t0 == 0 ? 1 : 0);
      return ctx.isParam(other) ? ctx.requantParameter(other, ctx.inputPrecision(), Double.NaN) : ctx.quantized(other);
    }
    return commonScale(ctx, false);
  }

  /**
   * MRT's broadcast_mul: both inputs requantized to the op's input precision (default scales);
   * scale {@code s_a * s_b}, precision {@code p_a + p_b}; an all-zero second input gives scale 1
   * and precision 1.
   */
  public static Quantized multiply(QuantizeContext ctx) {
    int p = ctx.inputPrecision();
    Quantized a = ctx.requantize(ctx.input(0), p);
    Quantized b = ctx.requantize(ctx.input(1), p);
    Entry out = ctx.rebuild(a.output(), b.output());
    if (b.precision() == 1 && b.scale() == 1) {
      return new Quantized(out, 1.0, 1);
    }
    return new Quantized(out, a.scale() * b.scale(), a.precision() + b.precision());
  }

  /**
   * MRT's sum: the input requantized to the op's input precision (8), the scale kept, precision
   * {@code p_x + bitCount(in_size / out_size)}.
   */
  public static Quantized sum(QuantizeContext ctx) {
    Quantized x = ctx.requantOperator(ctx.input(0), ctx.inputPrecision(), Double.NaN);
    Entry out = ctx.rebuild(x.output());
    long k = ctx.shapeOf(ctx.input(0)).size() / Math.max(1, ctx.shapeOf(out).size());
    return new Quantized(out, x.scale(), x.precision() + QuantMath.bitCount(Math.max(1, k)));
  }

  /**
   * MRT's clip: the bounds scaled by the input's scale and truncated toward zero
   * ({@code int(a * s)}), the scale kept, precision {@code bitsOf(max(|a_min|, a_max))}.
   */
  public static Quantized clip(QuantizeContext ctx) {
    Entry x = ctx.input(0);
    double s = ctx.scale(x);
    long lo = (long) (ctx.attrs().getDouble("a_min") * s);
    long hi = (long) (ctx.attrs().getDouble("a_max") * s);
    long bound = Math.min(Integer.MAX_VALUE - 1L, Math.max(Math.abs(lo), Math.abs(hi)));
    lo = Math.max(-bound, lo);
    hi = Math.min(bound, hi);
    Attrs attrs = ctx.node().attrs().with("a_min", String.valueOf(lo)).with("a_max", String.valueOf(hi));
    Entry out = ctx.rebuild(attrs, x);
    return new Quantized(out, s, QuantMath.bitsOf(bound));
  }


  /**
   * MRT's Embedding: the indices requantized exactly to scale 1 (32 bits) unless already at scale
   * 1, the weight requantized to the op's input precision (16); scale {@code s_w}, precision
   * {@code bitsOf(th_w * s_w)}.
   */
  public static Quantized embedding(QuantizeContext ctx) {
    Entry x = ctx.input(0);
    if (ctx.scale(x) != 1) {
      x = ctx.requantOperator(x, 32, 1.0).output();
    }
    Quantized w = ctx.requantParameter(ctx.input(1), ctx.inputPrecision(), Double.NaN);
    Entry out = ctx.rebuild(x, w.output());
    return new Quantized(out, w.scale(), QuantMath.bitsOf(ctx.threshold(ctx.input(1)) * w.scale()));
  }

  /** The output precision of softmax for a table of {@code tprec} bits (see {@link #softmax}). */
  public static int softmaxOutputPrecision(int tprec) {
    return Math.min(15, 30 - tprec);
  }

  /**
   * MRT's softmax: X requantized exactly to 8 bits ({@code s_x = 127/th}); {@code alpha =
   * int(lambda * s_x)}; {@code norm = relu(X - (max(X, axis) - alpha))}, in {@code [0, alpha]}; a
   * table of {@code round(clip(e^(k / s_x), 0, R(t)))} for {@code k = 0..alpha},
   * {@code t = bitsOf(e^lambda)}; {@code lut = cvm_lut(norm)}, {@code s = sum(lut, axis)};
   * {@code prob = cvm_clip(trunc((lut * R(o) + (s >> 1)) / s), o)}, scale {@code R(o)}.
   *
   * <p>Deviations from MRT, each because MRT's graph is wrong or refused by the CVM:
   * <ul>
   *   <li>MRT clips {@code max - alpha} and {@code norm} to 8 bits, which saturates {@code norm} at
   *       127 whenever {@code alpha > 127} (thresholds below about 10) or the maximum is negative:
   *       here the offset keeps its own precision and {@code norm} is clipped to
   *       {@code bitsOf(alpha)} bits (a no-op on its values, which stay in {@code [0, alpha]});
   *       for {@code alpha <= 127} and a non-negative maximum both give the same values;
   *   <li>MRT takes {@code o = min(15, 31 - t)}, which makes {@code lut * R(o)} need
   *       {@code t + bitsOf(R(o)) = 32} bits and the rounding add 33 under the CVM precision
   *       rules, so the CVM refuses the graph; here {@code o = min(15, 30 - t)} (14 for lambda 10)
   *       and the half-sum keeps the sum's precision (MRT: 31).
   * </ul>
   */
  public static Quantized softmax(QuantizeContext ctx) {
    String t = ctx.attrs().getString("temperature", "None");
    if (!Attrs.isNone(t) && ctx.attrs().getDouble("temperature") != 1.0) {
      throw ctx.error("softmax with temperature " + t + " has no integer form (MRT quantizes temperature 1 only)");
    }
    String name = ctx.node().name();
    int p = ctx.inputPrecision();
    double xs = QuantMath.scale(ctx.inputThreshold(0), p);
    Quantized x = ctx.requantOperator(ctx.input(0), p, xs);
    int axis = ctx.attrs().getInt("axis", -1);
    String ax = Attrs.tuple(axis);
    double lambda = ctx.softmaxLambda();
    long alpha = (long) (lambda * x.scale());
    Entry alphaConst = ctx.constant(name + "_alpha", alpha);
    Entry max = ctx.op("max", name + "_max", Attrs.of("axis", ax, "keepdims", "True"), x.output()).out();
    Entry offset = ctx.op("broadcast_sub", name + "_offset", Attrs.empty(), max, alphaConst).out();
    Entry norm = ctx.op("broadcast_sub", name + "_normalize", Attrs.empty(), x.output(), offset).out();
    norm = ctx.op("relu", name + "_filter", Attrs.empty(), norm).out();
    norm = ctx.op("cvm_clip", name + "_index", Attrs.of("precision", String.valueOf(QuantMath.bitsOf(alpha))), norm).out();
    int tprec = QuantMath.bitsOf(Math.exp(lambda));
    long tmax = QuantMath.range(tprec);
    double[] table = new double[(int) alpha + 1];
    for (int k = 0; k <= alpha; k++) {
      table[k] = QuantMath.roundHalfAway(Math.min(tmax, Math.exp(k / x.scale())));
    }
    Entry w = ctx.integerParam(name + "_lut_weight", Nd4j.create(table, new long[] {alpha + 1, 1}, DataType.DOUBLE), tprec);
    Entry lut = ctx.op("cvm_lut", name + "_lut", Attrs.of("in_dim", String.valueOf(alpha + 1)), norm, w).out();
    Entry sum = ctx.op("sum", name + "_sum", Attrs.of("axis", ax, "keepdims", "True"), lut).out();
    long n = ctx.shapeOf(x.output()).dim(axis);
    int sumPrec = tprec + QuantMath.bitCount(n);
    int oprec = softmaxOutputPrecision(tprec);
    if (oprec <= 8) {
      throw ctx.error("SOFTMAX_LAMBD " + lambda + " is too large: the table needs " + tprec
          + " bits, leaving " + oprec + " for the output (more than 8 needed)");
    }
    long oscale = QuantMath.range(oprec);
    Entry prob = ctx.op("broadcast_mul", name + "_output_scale", Attrs.empty(), lut, ctx.constant(name + "_oscale", oscale)).out();
    Entry half = ctx.op("cvm_right_shift", name + "_half", Attrs.of("precision", String.valueOf(sumPrec), "shift_bit", "1"), sum).out();
    prob = ctx.op("broadcast_add", name + "_round", Attrs.empty(), prob, half).out();
    prob = ctx.op("broadcast_div", name + "_prob", Attrs.empty(), prob, sum).out();
    prob = ctx.op("Cast", name + "_trunc", Attrs.of("dtype", "int32"), prob).out();
    Entry out = ctx.op("cvm_clip", name + "_clip", Attrs.of("precision", String.valueOf(oprec)), prob).out();
    return new Quantized(out, oscale, oprec);
  }
}
