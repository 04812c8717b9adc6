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
import io.mrt.api.hook.QuantMath;
import io.mrt.api.hook.QuantizeContext;
import io.mrt.api.hook.QuantizeHook;
import io.mrt.api.hook.Quantized;
import io.mrt.api.hook.ShapeContext;
import io.mrt.ops.support.Broadcast;
import io.mrt.ops.support.Lowering;
import io.mrt.ops.support.Tensors;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * MXNet's comparison {@code a > b} (1 or 0): {@code _greater} (equal shapes) and
 * {@code broadcast_greater} (numpy broadcasting). Quantized with both inputs at one scale (MRT's
 * {@code _quantize_scale}, 16 bits, unless they already share a scale); the 0/1 output has scale
 * 1 and, by the CVM rule, the precision of input 0. Lowered to CVM {@code broadcast_greater}.
 */
@MrtOp(value = {"broadcast_greater", "_greater"}, emits = "broadcast_greater", inputPrecision = 16)
public final class Greater implements InferShapeHook, ForwardHook, QuantizeHook, LowerToCvmHook {
  /** For the registry. */
  public Greater() {}

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
    return List.of(Broadcast.apply(ctx, ctx.input(0), ctx.input(1), (a, b) -> {
      long[] s = Broadcast.shape(ctx, Tensors.shape(a), Tensors.shape(b)).dims();
      return a.broadcast(s).gt(b.broadcast(s)).castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT);
    }));
  }

  /** Both inputs at one scale; a 0/1 output of scale 1 with input 0's precision (the CVM rule). */
  @Override
  public Quantized quantize(QuantizeContext ctx) {
    Entry a = ctx.input(0);
    Entry b = ctx.input(1);
    Quantized qa;
    Quantized qb;
    if (!ctx.isParam(a) && !ctx.isParam(b) && ctx.scale(a) == ctx.scale(b)) {
      qa = ctx.quantized(a);
      qb = ctx.quantized(b);
    } else {
      int p = ctx.inputPrecision();
      double s = QuantMath.scale(Math.max(ctx.threshold(a), ctx.threshold(b)), p);
      qa = ctx.requantize(a, p, s);
      qb = ctx.requantize(b, p, s);
    }
    return new Quantized(ctx.rebuild(qa.output(), qb.output()), 1.0, qa.precision());
  }

  /** CVM {@code broadcast_greater}. */
  @Override
  public List<Entry> lowerToCvm(LowerContext ctx) {
    return Lowering.same(ctx, "broadcast_greater");
  }
}
