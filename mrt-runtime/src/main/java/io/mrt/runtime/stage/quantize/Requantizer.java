package io.mrt.runtime.stage.quantize;

import io.mrt.api.graph.Attrs;
import io.mrt.api.graph.Entry;
import io.mrt.api.graph.Node;
import io.mrt.api.hook.CvmFloat;
import io.mrt.api.hook.OpContext;
import io.mrt.api.hook.QuantMath;
import io.mrt.api.hook.Quantized;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MRT's requantization primitives ({@code tfm_utils.py}) on an {@link IntGraph}: every new node
 * is described (scale, precision, threshold) so it can be requantized again. Integer parameters
 * are float64 arrays holding exact integers.
 */
final class Requantizer {
  private static final Logger LOG = LoggerFactory.getLogger(Requantizer.class);
  /** Relative error of a cvm_float approximation above which MRT warns. */
  static final double SCALE_ERROR_WARNING = 1e-3;

  private final IntGraph g;
  private final int shiftBits;
  private final Map<String, Quantized> paramCache = new HashMap<>();

  Requantizer(IntGraph g, int shiftBits) {
    this.g = g;
    this.shiftBits = shiftBits;
  }

  int shiftBits() {
    return shiftBits;
  }

  Info infoOf(OpContext at, Entry e) {
    return g.info(e).orElseThrow(() -> at.error("entry " + e + " has no recorded scale and precision "
        + "(describe the nodes a hook builds itself with ctx.describe)"));
  }

  Info integerInfo(OpContext at, Entry e) {
    Info i = infoOf(at, e);
    if (i.kind() == Info.Kind.FLOAT_PARAM) {
      throw at.error("input " + e + " is a float parameter: requantize it first (ctx.requantize or ctx.requantParameter)");
    }
    return i;
  }

  /** See {@link io.mrt.api.hook.QuantizeContext#requantParameter}. */
  Quantized requantParameter(OpContext at, Entry w, int oprec, double oscale) {
    INDArray value = g.paramValue(w).orElseThrow(() -> at.error("entry " + w + " is not a parameter"));
    double th = infoOf(at, w).threshold();
    String key = w.node().name() + "|" + oprec + "|" + Double.doubleToLongBits(oscale);
    Quantized cached = paramCache.get(key);
    if (cached != null) {
      return cached;
    }
    Quantized q;
    if (th == 0) {
      Node n = g.param(w.node().name() + "_q", Nd4j.zeros(DataType.DOUBLE, value.shape()), Attrs.of("precision", "1"));
      q = new Quantized(n.out(), 1.0, 1);
    } else {
      checkPrecision(at, oprec);
      double s = Double.isNaN(oscale) ? QuantMath.scale(th, oprec) : oscale;
      double[] v = values(value);
      for (int i = 0; i < v.length; i++) {
        v[i] = QuantMath.realize(v[i] * s, oprec);
      }
      Node n = g.param(w.node().name() + "_q", Nd4j.create(v, value.shape(), DataType.DOUBLE),
          Attrs.of("precision", String.valueOf(oprec)));
      q = new Quantized(n.out(), s, oprec);
    }
    g.describe(q.output(), Info.integer(q.scale(), q.precision(), th));
    paramCache.put(key, q);
    return q;
  }

  /** See {@link io.mrt.api.hook.QuantizeContext#requantOperator}. */
  Quantized requantOperator(OpContext at, Entry x, int oprec, double oscale) {
    checkPrecision(at, oprec);
    Info in = integerInfo(at, x);
    double th = in.threshold();
    boolean exactly = !Double.isNaN(oscale);
    if (th == 0) {
      // MRT passes the (calibrated all-zero) entry through claiming precision 1; clip it so the
      // claim holds for the CVM precision rules as well.
      Entry z = in.precision() > 1 ? realize(at, x, 0, 1) : x;
      double s = exactly ? oscale : 1.0;
      g.describe(z, Info.integer(s, 1, 0));
      return new Quantized(z, s, 1);
    }
    double os = exactly ? oscale : QuantMath.scale(th, oprec);
    double iscale = in.scale();
    int iprec = in.precision();
    int sb = QuantMath.bitsOf(th * iscale) - oprec;
    if (sb > shiftBits) {
      iprec -= sb;
      x = realize(at, x, sb, iprec);
      iscale = iscale / Math.scalb(1.0, sb);
    }
    if (exactly || iprec > oprec) {
      double rescale = os / iscale;
      int bits = QuantMath.MAX_BIT - iprec;
      CvmFloat f = CvmFloats.of(rescale, bits);
      double err = f.relativeError(rescale);
      if (err > SCALE_ERROR_WARNING) {
        LOG.warn("node {}: requantizing {} with scale {} approximated as {}*2^{} (relative error {})",
            at.node().name(), x, rescale, f.frac(), f.exp(), err);
      }
      double newScale = iscale * f.value();
      if (f.exp() > 0) {
        // never a left shift: multiply by frac * 2^exp and clip
        long m = Math.multiplyExact(f.frac(), 1L << f.exp());
        x = multiply(at, x, m, in.threshold(), iscale, iprec);
        x = realize(at, x, 0, oprec);
      } else {
        if (f.frac() > 1) {
          x = multiply(at, x, f.frac(), in.threshold(), iscale, iprec);
        }
        x = realize(at, x, -f.exp(), oprec);
      }
      g.describe(x, Info.integer(newScale, oprec, th));
      return new Quantized(x, newScale, oprec);
    }
    g.describe(x, Info.integer(iscale, oprec, th));
    return new Quantized(x, iscale, oprec);
  }

  private Entry multiply(OpContext at, Entry x, long factor, double th, double iscale, int iprec) {
    Entry c = constant(at.node().name() + "_scale", factor);
    Entry y = g.op("broadcast_mul", x.node().name() + "_mul", Attrs.empty(), x, c).out();
    g.describe(y, Info.integer(iscale * factor, iprec + QuantMath.bitsOf(factor), th));
    return y;
  }

  /** See {@link io.mrt.api.hook.QuantizeContext#realize}. */
  Entry realize(OpContext at, Entry x, int sb, int prec) {
    checkPrecision(at, prec);
    Info in = g.info(x).orElse(null);
    Entry y;
    double factor;
    if (sb == 0) {
      y = g.op("cvm_clip", x.node().name() + "_clip", Attrs.of("precision", String.valueOf(prec)), x).out();
      factor = 1;
    } else if (sb > 0) {
      if (sb > QuantMath.MAX_BIT) {
        throw at.error("a right shift by " + sb + " bits is out of range [1, 32] (requantizing " + x + ")");
      }
      y = g.op("cvm_right_shift", x.node().name() + "_shift",
          Attrs.of("precision", String.valueOf(prec), "shift_bit", String.valueOf(sb)), x).out();
      factor = Math.scalb(1.0, -sb);
    } else {
      if (-sb > 30) {
        throw at.error("a left shift by " + (-sb) + " bits cannot be expressed (requantizing " + x + ")");
      }
      long m = 1L << (-sb);
      Entry mul = multiply(at, x, m, in == null ? 0 : in.threshold(), in == null ? 1 : in.scale(),
          in == null ? QuantMath.MAX_BIT : in.precision());
      y = g.op("cvm_clip", x.node().name() + "_clip", Attrs.of("precision", String.valueOf(prec)), mul).out();
      factor = m;
    }
    if (in != null) {
      g.describe(y, new Info(in.scale() * factor, prec, in.threshold(), in.kind()));
    }
    return y;
  }

  /** See {@link io.mrt.api.hook.QuantizeContext#constant}. */
  Entry constant(String hint, long value) {
    int p = QuantMath.bitsOf(value);
    Node n = g.param(hint, Nd4j.create(new double[] {value}, new long[] {1}, DataType.DOUBLE),
        Attrs.of("precision", String.valueOf(p)));
    g.describe(n.out(), Info.integer(1.0, p, Math.abs((double) value)));
    return n.out();
  }

  /** See {@link io.mrt.api.hook.QuantizeContext#integerParam}. */
  Entry integerParam(OpContext at, String hint, INDArray values, int prec) {
    checkPrecision(at, prec);
    double[] v = values(values);
    double max = 0;
    long r = QuantMath.range(prec);
    for (double d : v) {
      if (d != Math.rint(d) || Math.abs(d) > r) {
        throw at.error("integer parameter " + hint + ": value " + d + " is not an integer of precision " + prec);
      }
      max = Math.max(max, Math.abs(d));
    }
    Node n = g.param(hint, Nd4j.create(v, values.shape(), DataType.DOUBLE), Attrs.of("precision", String.valueOf(prec)));
    g.describe(n.out(), Info.integer(1.0, prec, max));
    return n.out();
  }

  /** See {@link io.mrt.api.hook.QuantizeContext#lookupTable}. */
  Quantized lookupTable(OpContext at, String outName, Entry x, DoubleUnaryOperator f, int iprec, int oprec) {
    Info in = integerInfo(at, x);
    double xs = QuantMath.scale(in.threshold(), iprec);
    Quantized q = requantOperator(at, x, iprec, xs);
    long alpha = QuantMath.range(q.precision());
    Entry offset = constant(at.node().name() + "_alpha", alpha);
    Entry idx = g.op("broadcast_add", at.node().name() + "_offset", Attrs.empty(), q.output(), offset).out();
    g.describe(idx, Info.integer(q.scale(), q.precision() + 1, in.threshold()));
    int n = (int) (2 * alpha + 1);
    double[] out = new double[n];
    double max = 0;
    for (int k = 0; k < n; k++) {
      out[k] = f.applyAsDouble((k - alpha) / q.scale());
      if (!Double.isFinite(out[k])) {
        throw at.error("the lookup table function is not finite at " + ((k - alpha) / q.scale()));
      }
      max = Math.max(max, Math.abs(out[k]));
    }
    double os = QuantMath.scale(max, oprec);
    for (int k = 0; k < n; k++) {
      out[k] = QuantMath.realize(out[k] * os, oprec);
    }
    Entry table = integerParam(at, at.node().name() + "_lut", Nd4j.create(out, new long[] {n, 1}, DataType.DOUBLE), oprec);
    Node lut = new Node("cvm_lut", outName, Attrs.of("in_dim", String.valueOf(n)), List.of(idx, table), 1);
    g.describe(lut.out(), Info.integer(os, oprec, max));
    return new Quantized(lut.out(), os, oprec);
  }

  private static void checkPrecision(OpContext at, int p) {
    if (p < 1 || p > QuantMath.MAX_BIT) {
      throw at.error("requantization to " + p + " bits: the precision must be in [1, 32]");
    }
  }

  static double[] values(INDArray a) {
    return a.dup('c').castTo(DataType.DOUBLE).data().asDouble();
  }
}
