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
import io.mrt.api.hook.ShapeContext;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * MXNet {@code Activation(act_type=tanh)}, and the unary {@code tanh} op (whose missing
 * {@code act_type} defaults to {@code tanh}): {@code y = tanh(x)}, elementwise.
 *
 * <p>Quantized as MRT quantizes sigmoid and exp ({@code _quantize_table}): the input is
 * requantized to 8 bits, shifted to the non-negative range, and looked up in a table of
 * {@code tanh(k / s_x)} scaled to the output precision; the compile stage emits CVM
 * {@code cvm_lut}.
 */
@MrtOp(value = {"Activation", "tanh"}, when = @When(attr = "act_type", equals = "tanh"),
    attrs = @Attr(name = "act_type", type = String.class, defaultValue = "tanh"),
    emits = {"cvm_lut", "broadcast_add"}, inputPrecision = 8)
public final class Tanh implements InferShapeHook, ForwardHook, CalibrateHook {
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
   * Observes the output, whose threshold becomes the lookup table's output scale. (This is what
   * the calibrate stage does for an op without the hook; it is written out here because the table
   * depends on it.)
   */
  @Override
  public void calibrate(CalibrateContext ctx) {
    ctx.observe(0, ctx.outputs().get(0));
  }
}
