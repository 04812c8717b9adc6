package io.mrt.ops;

import io.mrt.annotations.Attr;
import io.mrt.annotations.MrtOp;
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
 * MRT's custom op {@code cvm_clip(precision)} (MRT writes it as {@code Custom} with
 * {@code op_type=cvm_clip}; the IR names it directly): a saturating clip to
 * {@code [-R(p), R(p)]}, {@code R(p) = 2^(p-1)-1}. The forward rounds first (half away from zero,
 * as MRT's simulation does; a no-op on integers) and is exact in float64. Lowered to CVM
 * {@code cvm_clip}; its precision is the attribute.
 */
@MrtOp(value = "cvm_clip",
    attrs = {
        @Attr(name = "precision", type = int.class),
        @Attr(name = "is_sign", type = boolean.class, defaultValue = "True")},
    restorable = false, emits = "cvm_clip")
public final class CvmClip implements InferShapeHook, ForwardHook, InferPrecisionHook, LowerToCvmHook {
  /** For the registry. */
  public CvmClip() {}

  static int precision(OpContext ctx) {
    int p = ctx.attrs().getInt("precision");
    if (p < 1 || p > QuantMath.MAX_BIT) {
      throw ctx.error("attribute 'precision' must be in [1, 32], found " + p);
    }
    return p;
  }

  @Override
  public List<Shape> inferShape(ShapeContext ctx) {
    precision(ctx);
    return List.of(ctx.inputShape(0));
  }

  @Override
  public List<INDArray> forward(ForwardContext ctx) {
    long r = QuantMath.range(precision(ctx));
    INDArray x = ctx.input(0);
    double[] v = IntValues.of(x);
    for (int i = 0; i < v.length; i++) {
      long q = IntValues.round(v[i]);
      v[i] = Math.max(-r, Math.min(r, q));
    }
    return List.of(IntValues.create(v, x));
  }

  @Override
  public List<Integer> inferPrecision(PrecisionContext ctx) {
    return List.of(precision(ctx));
  }

  @Override
  public List<Entry> lowerToCvm(LowerContext ctx) {
    return List.of(ctx.emit("cvm_clip", Attrs.of("precision", String.valueOf(precision(ctx))), ctx.input(0)));
  }
}
