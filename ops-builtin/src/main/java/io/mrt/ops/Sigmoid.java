package io.mrt.ops;

import io.mrt.annotations.Attr;
import io.mrt.annotations.MrtOp;
import io.mrt.annotations.When;
import io.mrt.api.graph.Entry;
import io.mrt.api.graph.Shape;
import io.mrt.api.hook.ForwardContext;
import io.mrt.api.hook.ForwardHook;
import io.mrt.api.hook.InferShapeHook;
import io.mrt.api.hook.QuantizeContext;
import io.mrt.api.hook.QuantizeHook;
import io.mrt.api.hook.Quantized;
import io.mrt.api.hook.RewriteContext;
import io.mrt.api.hook.RewriteHook;
import io.mrt.api.hook.ShapeContext;
import io.mrt.ops.support.ActivationRewrites;
import io.mrt.ops.support.Unary;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * MXNet {@code Activation(act_type=sigmoid)} and the {@code sigmoid} op: {@code 1 / (1 + e^-x)}.
 * Quantized as a lookup table (CVM {@code cvm_lut}).
 */
@MrtOp(value = {"Activation", "sigmoid"}, when = @When(attr = "act_type", equals = "sigmoid"),
    attrs = @Attr(name = "act_type", type = String.class, defaultValue = "sigmoid"),
    emits = "cvm_lut", inputPrecision = 8)
public final class Sigmoid implements InferShapeHook, ForwardHook, RewriteHook, QuantizeHook {
  /** For the registry. */
  public Sigmoid() {}

  @Override
  public List<Shape> inferShape(ShapeContext ctx) {
    return Unary.shape(ctx);
  }

  @Override
  public List<INDArray> forward(ForwardContext ctx) {
    return List.of(Unary.map(ctx.input(0), v -> (float) (1.0 / (1.0 + Math.exp(-v)))));
  }

  @Override
  public List<Entry> rewrite(RewriteContext ctx) {
    return ActivationRewrites.sigmoid(ctx);
  }

  /** A lookup table of the sigmoid (MRT's {@code _quantize_table}), 16-bit output. */
  @Override
  public Quantized quantize(QuantizeContext ctx) {
    return ctx.lookupTable(ctx.input(0), v -> 1 / (1 + Math.exp(-v)), ctx.inputPrecision(), Exp.TABLE_PRECISION);
  }
}
