package io.mrt.ops;

import io.mrt.annotations.MrtOp;
import io.mrt.api.graph.Entry;
import io.mrt.api.graph.Shape;
import io.mrt.api.hook.ForwardContext;
import io.mrt.api.hook.ForwardHook;
import io.mrt.api.hook.InferShapeHook;
import io.mrt.api.hook.LowerContext;
import io.mrt.api.hook.LowerToCvmHook;
import io.mrt.api.hook.QuantizeContext;
import io.mrt.api.hook.QuantizeHook;
import io.mrt.api.hook.Quantized;
import io.mrt.api.hook.ShapeContext;
import io.mrt.ops.support.Broadcast;
import io.mrt.ops.support.Lowering;
import io.mrt.ops.support.QuantizeRules;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/** MXNet {@code broadcast_mul}: the product with numpy-style broadcasting; CVM {@code broadcast_mul}. */
@MrtOp(value = "broadcast_mul", emits = "broadcast_mul", inputPrecision = 16)
public final class BroadcastMul implements InferShapeHook, ForwardHook, QuantizeHook, LowerToCvmHook {
  /** For the registry. */
  public BroadcastMul() {}

  @Override
  public List<Shape> inferShape(ShapeContext ctx) {
    if (ctx.inputShapes().size() != 2) {
      throw ctx.error("expected 2 inputs, found " + ctx.inputShapes().size());
    }
    return List.of(Broadcast.shape(ctx, ctx.inputShape(0), ctx.inputShape(1)));
  }

  @Override
  public List<INDArray> forward(ForwardContext ctx) {
    return List.of(Broadcast.apply(ctx, ctx.input(0), ctx.input(1), INDArray::mul));
  }

  /** MRT's broadcast_mul: see {@link QuantizeRules#multiply}. */
  @Override
  public Quantized quantize(QuantizeContext ctx) {
    return QuantizeRules.multiply(ctx);
  }

  /** CVM {@code broadcast_mul}. */
  @Override
  public List<Entry> lowerToCvm(LowerContext ctx) {
    return Lowering.same(ctx, "broadcast_mul");
  }
}
