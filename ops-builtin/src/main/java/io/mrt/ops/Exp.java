package io.mrt.ops;

import io.mrt.annotations.MrtOp;
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
 * MXNet {@code exp}, element-wise. Quantized as MRT does ({@code _quantize_table}): the input
 * requantized to 8 bits and looked up in a 16-bit table of {@code e^(k / s_x)} (CVM
 * {@code cvm_lut}).
 */
@MrtOp(value = "exp", emits = {"cvm_lut", "broadcast_add"}, inputPrecision = 8)
public final class Exp implements InferShapeHook, ForwardHook, QuantizeHook {
  /** The output precision of MRT's lookup tables. */
  static final int TABLE_PRECISION = 16;

  /** For the registry. */
  public Exp() {}

  @Override
  public List<Shape> inferShape(ShapeContext ctx) {
    return Unary.shape(ctx);
  }

  @Override
  public List<INDArray> forward(ForwardContext ctx) {
    return List.of(Unary.map(ctx.input(0), v -> (float) Math.exp(v)));
  }

  /** A lookup table of e^x (MRT's {@code _quantize_table}). */
  @Override
  public Quantized quantize(QuantizeContext ctx) {
    return ctx.lookupTable(ctx.input(0), Math::exp, ctx.inputPrecision(), TABLE_PRECISION);
  }
}
