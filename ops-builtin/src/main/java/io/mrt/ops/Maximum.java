package io.mrt.ops;

import io.mrt.annotations.MrtOp;
import io.mrt.api.graph.Entry;
import io.mrt.api.graph.Shape;
import io.mrt.api.hook.ForwardContext;
import io.mrt.api.hook.ForwardHook;
import io.mrt.api.hook.InferShapeHook;
import io.mrt.api.hook.LowerContext;
import io.mrt.api.hook.LowerToCvmHook;
import io.mrt.api.hook.OpContext;
import io.mrt.api.hook.QuantizeContext;
import io.mrt.api.hook.QuantizeHook;
import io.mrt.api.hook.Quantized;
import io.mrt.api.hook.ShapeContext;
import io.mrt.ops.support.Broadcast;
import io.mrt.ops.support.Lowering;
import io.mrt.ops.support.QuantizeRules;
import io.mrt.ops.support.Tensors;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * MXNet's element-wise maximum and minimum of two arrays: {@code _maximum}/{@code _minimum} (equal
 * shapes) and {@code broadcast_maximum}/{@code broadcast_minimum} (numpy broadcasting).
 * Quantized with both inputs at one scale (MRT's {@code _quantize_scale}, 16 bits); the output
 * keeps the wider precision. Lowered as MRT compiles them: the maxima to CVM
 * {@code broadcast_max}; the minima have no CVM operator (the runtime has no
 * {@code broadcast_min}), so lowering them fails naming the node.
 */
@MrtOp(value = {"_maximum", "broadcast_maximum", "_minimum", "broadcast_minimum"}, emits = "broadcast_max",
    inputPrecision = 16)
public final class Maximum implements InferShapeHook, ForwardHook, QuantizeHook, LowerToCvmHook {
  /** For the registry. */
  public Maximum() {}

  private static boolean isMin(OpContext ctx) {
    return ctx.node().op().endsWith("minimum");
  }

  private static boolean elementwise(OpContext ctx) {
    return ctx.node().op().startsWith("_");
  }

  @Override
  public List<Shape> inferShape(ShapeContext ctx) {
    if (ctx.inputShapes().size() != 2) {
      throw ctx.error("expected 2 inputs, found " + ctx.inputShapes().size());
    }
    return List.of(elementwise(ctx)
        ? Broadcast.same(ctx, ctx.inputShape(0), ctx.inputShape(1))
        : Broadcast.shape(ctx, ctx.inputShape(0), ctx.inputShape(1)));
  }

  @Override
  public List<INDArray> forward(ForwardContext ctx) {
    if (elementwise(ctx)) {
      Broadcast.same(ctx, Tensors.shape(ctx.input(0)), Tensors.shape(ctx.input(1)));
    }
    boolean min = isMin(ctx);
    return List.of(Broadcast.apply(ctx, ctx.input(0), ctx.input(1), (a, b) -> {
      long[] s = Broadcast.shape(ctx, Tensors.shape(a), Tensors.shape(b)).dims();
      INDArray x = a.broadcast(s);
      INDArray y = b.broadcast(s);
      return min ? Transforms.min(x, y, true) : Transforms.max(x, y, true);
    }));
  }

  /** MRT's {@code _quantize_scale} at 16 bits; precision {@code max(p_a, p_b)}. */
  @Override
  public Quantized quantize(QuantizeContext ctx) {
    return QuantizeRules.commonScale(ctx, true);
  }

  /** CVM {@code broadcast_max}; a minimum is refused (no CVM operator). */
  @Override
  public List<Entry> lowerToCvm(LowerContext ctx) {
    if (isMin(ctx)) {
      throw ctx.error("the CVM has no minimum operator (broadcast_min and min are not registered in the CVM "
          + "runtime), so " + ctx.node().op() + " cannot be compiled to the CVM");
    }
    return Lowering.same(ctx, "broadcast_max");
  }
}
