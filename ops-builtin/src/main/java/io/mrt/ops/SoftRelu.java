package io.mrt.ops;

import io.mrt.annotations.Attr;
import io.mrt.annotations.MrtOp;
import io.mrt.annotations.When;
import io.mrt.api.graph.Shape;
import io.mrt.api.hook.ForwardContext;
import io.mrt.api.hook.ForwardHook;
import io.mrt.api.hook.InferShapeHook;
import io.mrt.api.hook.QuantizeContext;
import io.mrt.api.hook.QuantizeHook;
import io.mrt.api.hook.Quantized;
import io.mrt.api.hook.ShapeContext;
import io.mrt.ops.support.Unary;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * MXNet {@code Activation(act_type=softrelu)}: {@code log(1 + e^x)}, computed as MXNet does
 * ({@code x} itself above 20). Quantized as a lookup table (CVM {@code cvm_lut}).
 */
@MrtOp(value = "Activation", when = @When(attr = "act_type", equals = "softrelu"),
    attrs = @Attr(name = "act_type", type = String.class), emits = "cvm_lut", inputPrecision = 8)
public final class SoftRelu implements InferShapeHook, ForwardHook, QuantizeHook {
  /** MXNet's kSoftReluThreshold. */
  static final float THRESHOLD = 20f;

  /** For the registry. */
  public SoftRelu() {}

  @Override
  public List<Shape> inferShape(ShapeContext ctx) {
    return Unary.shape(ctx);
  }

  @Override
  public List<INDArray> forward(ForwardContext ctx) {
    return List.of(Unary.map(ctx.input(0), v -> v > THRESHOLD ? v : (float) Math.log1p(Math.exp(v))));
  }

  /** A lookup table of {@code log(1 + e^x)} like sigmoid (an extension: MRT quantizes only relu Activations). */
  @Override
  public Quantized quantize(QuantizeContext ctx) {
    return ctx.lookupTable(ctx.input(0), v -> v > 20 ? v : Math.log1p(Math.exp(v)), ctx.inputPrecision(), Exp.TABLE_PRECISION);
  }
}
