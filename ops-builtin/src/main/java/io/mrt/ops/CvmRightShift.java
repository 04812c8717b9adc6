package io.mrt.ops;

import io.mrt.annotations.Attr;
import io.mrt.annotations.MrtOp;
import io.mrt.annotations.cvm.CvmRules;
import io.mrt.api.graph.Attrs;
import io.mrt.api.graph.Entry;
import io.mrt.api.graph.Shape;
import io.mrt.api.hook.ForwardContext;
import io.mrt.api.hook.ForwardHook;
import io.mrt.api.hook.InferPrecisionHook;
import io.mrt.api.hook.InferShapeHook;
import io.mrt.api.hook.LowerContext;
import io.mrt.api.hook.LowerToCvmHook;
import io.mrt.api.hook.OpContext;
import io.mrt.api.hook.PrecisionContext;
import io.mrt.api.hook.QuantMath;
import io.mrt.api.hook.ShapeContext;
import io.mrt.ops.support.IntValues;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * MRT's custom op {@code cvm_right_shift(precision, shift_bit)}: a rounding right shift (round
 * half up) with a saturating clip to {@code [-R(p), R(p)]}. The forward reproduces the CVM CPU
 * kernel bit for bit (spec CVM_OPS.md section 2, including its no-clip branches for
 * {@code p + b >= 32} and {@code b >= 31}) on int32 values held exactly in float64; a
 * non-integer input (a restored float) is first rounded half away from zero, as MRT's simulation
 * does. Lowered to CVM {@code cvm_right_shift}; its precision is the attribute.
 */
@MrtOp(value = "cvm_right_shift",
    attrs = {
        @Attr(name = "precision", type = int.class),
        @Attr(name = "shift_bit", type = int.class),
        @Attr(name = "is_sign", type = boolean.class, defaultValue = "True")},
    restorable = false, emits = "cvm_right_shift")
public final class CvmRightShift implements InferShapeHook, ForwardHook, InferPrecisionHook, LowerToCvmHook {
  /** For the registry. */
  public CvmRightShift() {}

  private static int shift(OpContext ctx) {
    int b = ctx.attrs().getInt("shift_bit");
    if (b < 1 || b > QuantMath.MAX_BIT) {
      throw ctx.error("attribute 'shift_bit' must be in [1, 32], found " + b);
    }
    return b;
  }

  /** The CVM kernel on one value: the table's rounding rule (spec CVM_OPS.md section 2). */
  static long shift(long x, int p, int b) {
    return CvmRules.rightShift(x, p, b);
  }

  @Override
  public List<Shape> inferShape(ShapeContext ctx) {
    CvmClip.precision(ctx);
    shift(ctx);
    return List.of(ctx.inputShape(0));
  }

  @Override
  public List<INDArray> forward(ForwardContext ctx) {
    int p = CvmClip.precision(ctx);
    int b = shift(ctx);
    INDArray x = ctx.input(0);
    double[] v = IntValues.of(x);
    for (int i = 0; i < v.length; i++) {
      v[i] = shift(IntValues.round(v[i]), p, b);
    }
    return List.of(IntValues.create(v, x));
  }

  @Override
  public List<Integer> inferPrecision(PrecisionContext ctx) {
    return List.of(CvmClip.precision(ctx));
  }

  @Override
  public List<Entry> lowerToCvm(LowerContext ctx) {
    return List.of(ctx.emit("cvm_right_shift", Attrs.of(
        "precision", String.valueOf(CvmClip.precision(ctx)), "shift_bit", String.valueOf(shift(ctx))), ctx.input(0)));
  }
}
