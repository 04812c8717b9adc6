package io.mrt.plugins.hardsigmoid;

import io.mrt.annotations.Attr;
import io.mrt.annotations.MrtOp;
import io.mrt.api.graph.Shape;
import io.mrt.api.hook.ForwardContext;
import io.mrt.api.hook.ForwardHook;
import io.mrt.api.hook.InferShapeHook;
import io.mrt.api.hook.OpContext;
import io.mrt.api.hook.QuantizeContext;
import io.mrt.api.hook.QuantizeHook;
import io.mrt.api.hook.Quantized;
import io.mrt.api.hook.ShapeContext;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * MXNet {@code hard_sigmoid}: {@code y = max(0, min(1, alpha * x + beta))}, elementwise, with
 * MXNet's defaults {@code alpha = 0.2} and {@code beta = 0.5}. Quantized, like tanh, as a lookup
 * table over the 8-bit input ({@code cvm_lut}, 16-bit values).
 */
@MrtOp(value = "hard_sigmoid", attrs = {
    @Attr(name = "alpha", type = float.class, defaultValue = "0.2"),
    @Attr(name = "beta", type = float.class, defaultValue = "0.5")},
    emits = {"cvm_lut", "broadcast_add"}, inputPrecision = 8)
public final class HardSigmoid implements InferShapeHook, ForwardHook, QuantizeHook {
  /** The precision of the table's values. */
  static final int TABLE_PRECISION = 16;

  /** For the registry. */
  public HardSigmoid() {}

  @Override
  public List<Shape> inferShape(ShapeContext ctx) {
    if (ctx.inputShapes().size() != 1) {
      throw ctx.error("hard_sigmoid takes 1 input, found " + ctx.inputShapes().size());
    }
    return List.of(ctx.inputShape(0));
  }

  @Override
  public List<INDArray> forward(ForwardContext ctx) {
    double[] ab = alphaBeta(ctx);
    INDArray y = ctx.input(0).mul(ab[0]).addi(ab[1]);
    return List.of(Transforms.min(Transforms.max(y, 0.0, false), 1.0, false));
  }

  /** A lookup table of the function over the 8-bit input. */
  @Override
  public Quantized quantize(QuantizeContext ctx) {
    double[] ab = alphaBeta(ctx);
    return ctx.lookupTable(ctx.input(0), x -> Math.max(0, Math.min(1, ab[0] * x + ab[1])), ctx.inputPrecision(),
        TABLE_PRECISION);
  }

  private static double[] alphaBeta(OpContext ctx) {
    double alpha = ctx.attrs().getDouble("alpha");
    double beta = ctx.attrs().getDouble("beta");
    if (!Double.isFinite(alpha) || !Double.isFinite(beta)) {
      throw ctx.error("alpha and beta must be finite, found alpha=" + alpha + ", beta=" + beta);
    }
    return new double[] {alpha, beta};
  }
}
