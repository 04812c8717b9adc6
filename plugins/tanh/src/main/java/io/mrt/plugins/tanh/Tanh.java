package io.mrt.plugins.tanh;

import io.mrt.annotations.Attr;
import io.mrt.annotations.MrtOp;
import io.mrt.annotations.When;
import io.mrt.api.graph.Shape;
import io.mrt.api.hook.CalibrateContext;
import io.mrt.api.hook.CalibrateHook;
import io.mrt.api.hook.ForwardContext;
import io.mrt.api.hook.ForwardHook;
import io.mrt.api.hook.InferShapeHook;
import io.mrt.api.hook.QuantizeContext;
import io.mrt.api.hook.QuantizeHook;
import io.mrt.api.hook.Quantized;
import io.mrt.api.hook.ShapeContext;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * MXNet {@code Activation(act_type=tanh)}, and the unary {@code tanh} op (whose missing
 * {@code act_type} defaults to {@code tanh}): {@code y = tanh(x)}, elementwise.
 *
 * <p>Quantized as MRT quantizes sigmoid and exp ({@code _quantize_table}): the input is
 * requantized to 8 bits ({@code s_x = 127 / threshold}), offset by 127 with
 * {@code broadcast_add}, and looked up with {@code cvm_lut} in a table of the 255 values
 * {@code round(tanh(k / s_x) * s_o)}, {@code k = -127..127}, at 16 bits. The quantized graph thus
 * holds {@code broadcast_add} and {@code cvm_lut} nodes in place of the tanh node, and the compile
 * stage lowers them to the CVM operators of the same names; the op class itself needs no
 * {@code lowerToCvm}.
 */
@MrtOp(value = {"Activation", "tanh"}, when = @When(attr = "act_type", equals = "tanh"),
    attrs = @Attr(name = "act_type", type = String.class, defaultValue = "tanh"),
    emits = {"cvm_lut", "broadcast_add"}, inputPrecision = 8)
public final class Tanh implements InferShapeHook, ForwardHook, CalibrateHook, QuantizeHook {
  /** The precision of the table's values (MRT's default output precision of a lookup table). */
  static final int TABLE_PRECISION = 16;

  /** For the registry. */
  public Tanh() {}

  @Override
  public List<Shape> inferShape(ShapeContext ctx) {
    if (ctx.inputShapes().size() != 1) {
      throw ctx.error("tanh takes 1 input, found " + ctx.inputShapes().size());
    }
    return List.of(ctx.inputShape(0));
  }

  @Override
  public List<INDArray> forward(ForwardContext ctx) {
    return List.of(Transforms.tanh(ctx.input(0), true));
  }

  /**
   * Observes the output as is (what the calibrate stage does for an op without the hook, written
   * out here): its threshold, at most 1, is what the next op's requantization of the table's
   * output starts from.
   */
  @Override
  public void calibrate(CalibrateContext ctx) {
    ctx.observe(0, ctx.outputs().get(0));
  }

  /** A lookup table of tanh over the 8-bit input: {@code cvm_lut(x + 127, table)} at 16 bits. */
  @Override
  public Quantized quantize(QuantizeContext ctx) {
    return ctx.lookupTable(ctx.input(0), Math::tanh, ctx.inputPrecision(), TABLE_PRECISION);
  }
}
