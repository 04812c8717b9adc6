package io.mrt.ops.support;

import io.mrt.api.graph.Attrs;
import io.mrt.api.graph.Entry;
import io.mrt.api.hook.QuantMath;
import io.mrt.api.hook.QuantizeContext;
import io.mrt.api.hook.Quantized;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Conv and dense weights quantized per output channel, brought back to one output scale with
 * integer operations the CVM has.
 *
 * <p>Channel {@code o} of the weight gets its own scale {@code s_o = R(p) / max|W[o]|}, at most
 * {@code 2^c} times the per-tensor scale {@code s_min = R(p) / max|W|}; the bias of channel
 * {@code o} is requantized with {@code s_x * s_o}. The accumulator of channel {@code o} then has
 * scale {@code s_x * s_o}, and stands within {@code base + c} bits, where {@code base} is the tight
 * precision of the output at the common scale {@code S = s_x * s_min}: it is clipped to that
 * ({@code cvm_clip}), multiplied by the per-channel integers {@code M_o = round(2^k s_min / s_o)}
 * ({@code broadcast_mul} with a {@code (1, O, 1, 1)} or {@code (1, O)} parameter, the product
 * within 32 bits) and shifted back with rounding
 * ({@code cvm_right_shift} by {@code k}, clipped to {@code base} bits). Every node stays within 32
 * bits and the conv/dense inputs within the op's input precision, so the CVM's precision rules
 * hold as for per-tensor weights. {@code c} is at most 8 and small enough that the smallest
 * multiplier keeps 7 bits (relative error at most 2^-8); when no headroom is left (c would be 0)
 * the per-tensor rule applies.
 */
public final class PerChannel {
  /** The largest ratio of a channel's scale to the per-tensor scale, as a power of two. */
  public static final int MAX_RATIO_BITS = 8;
  /** The smallest channel multiplier is at least {@code 2^MIN_MULTIPLIER_BITS} (relative error at most 2^-8). */
  public static final int MIN_MULTIPLIER_BITS = 7;

  private PerChannel() {}

  /** The per-channel form of {@link QuantizeRules#xwb}, or null when it brings nothing. */
  public static Quantized xwb(QuantizeContext ctx, boolean noBias) {
    INDArray w = ctx.paramValue(ctx.input(1)).orElseThrow();
    long outs = w.size(0);
    if (w.rank() < 2 || outs < 2 || outs > Integer.MAX_VALUE) {
      return null;
    }
    int p = ctx.inputPrecision();
    double[] wv = w.dup('c').castTo(DataType.DOUBLE).data().asDouble();
    int o = (int) outs;
    int row = wv.length / o;
    double[] th = new double[o];
    double thMax = 0;
    for (int c = 0; c < o; c++) {
      for (int i = c * row; i < (c + 1) * row; i++) {
        th[c] = Math.max(th[c], Math.abs(wv[i]));
      }
      thMax = Math.max(thMax, th[c]);
    }
    double outTh = ctx.outputThreshold();
    if (thMax == 0 || outTh == 0) {
      return null;
    }
    Quantized x = ctx.requantOperator(ctx.input(0), p, Double.NaN);
    double sMin = QuantMath.scale(thMax, p);
    double common = x.scale() * sMin;
    int base = QuantMath.bitsOf(outTh * common);
    // shift = 30 - (base + ratioBits) keeps the product within 32 bits; the smallest multiplier is
    // 2^(shift - ratioBits), which must keep MIN_MULTIPLIER_BITS bits
    int ratioBits = Math.min(MAX_RATIO_BITS, (QuantMath.MAX_BIT - 2 - MIN_MULTIPLIER_BITS - base) / 2);
    if (ratioBits <= 0) {
      return null;
    }
    double maxRatio = Math.scalb(1.0, ratioBits);
    double[] sw = new double[o];
    for (int c = 0; c < o; c++) {
      sw[c] = th[c] == 0 ? sMin : Math.min(QuantMath.scale(th[c], p), sMin * maxRatio);
    }
    double[] wq = new double[wv.length];
    for (int c = 0; c < o; c++) {
      for (int i = c * row; i < (c + 1) * row; i++) {
        wq[i] = QuantMath.realize(wv[i] * sw[c], p);
      }
    }
    Entry weight = ctx.integerParam(ctx.input(1).node().name() + "_qc", Nd4j.create(wq, w.shape(), DataType.DOUBLE), p);
    List<Entry> inputs = new ArrayList<>(List.of(x.output(), weight));
    long k = QuantizeRules.rowSize(ctx.shapeOf(ctx.input(1)));
    int accPrec = QuantMath.bitCount(k) + x.precision() + p;
    if (!noBias) {
      Entry bias = ctx.input(2);
      if (!ctx.isParam(bias)) {
        throw ctx.error("the bias (input 2) must be a parameter to be quantized, found " + bias);
      }
      double[] bv = ctx.paramValue(bias).orElseThrow().dup('c').castTo(DataType.DOUBLE).data().asDouble();
      if (bv.length != o) {
        throw ctx.error("the bias has " + bv.length + " values for " + o + " output channels");
      }
      double bMax = 0;
      for (int c = 0; c < o; c++) {
        bMax = Math.max(bMax, Math.abs(bv[c] * x.scale() * sw[c]));
      }
      int bp = QuantMath.bitsOf(bMax);
      double[] bq = new double[o];
      for (int c = 0; c < o; c++) {
        bq[c] = QuantMath.realize(bv[c] * x.scale() * sw[c], bp);
      }
      inputs.add(ctx.integerParam(bias.node().name() + "_qc", Nd4j.create(bq, new long[] {o}, DataType.DOUBLE), bp));
      accPrec = Math.max(accPrec, bp) + 1;
    }
    Entry acc = ctx.rebuild(inputs.toArray(Entry[]::new));
    double sMax = 0;
    for (double s : sw) {
      sMax = Math.max(sMax, s);
    }
    // the channels' scales differ: record the largest, which bounds every channel's magnitude
    ctx.describe(acc, x.scale() * sMax, accPrec, outTh);
    int accBits = Math.min(accPrec, base + ratioBits);
    Entry clipped = accBits < accPrec ? ctx.realize(acc, 0, accBits) : acc;
    int shift = QuantMath.MAX_BIT - accBits - 2;
    double[] m = new double[o];
    long mMax = 0;
    for (int c = 0; c < o; c++) {
      m[c] = Math.rint(Math.scalb(sMin / sw[c], shift));
      mMax = Math.max(mMax, (long) m[c]);
    }
    long[] mShape = new long[ctx.shapeOf(ctx.input(0)).rank()];
    java.util.Arrays.fill(mShape, 1);
    mShape[1] = o;
    int mPrec = QuantMath.bitsOf(mMax);
    Entry multipliers = ctx.integerParam(ctx.node().name() + "_channel_scale", Nd4j.create(m, mShape, DataType.DOUBLE),
        mPrec);
    Entry scaled = ctx.op("broadcast_mul", ctx.node().name() + "_channel_mul", Attrs.empty(), clipped, multipliers).out();
    ctx.describe(scaled, common * Math.scalb(1.0, shift), accBits + mPrec, outTh);
    Entry out = ctx.realize(scaled, shift, base);
    ctx.describe(out, common, base, outTh);
    return new Quantized(out, common, base);
  }
}
