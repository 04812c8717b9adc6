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

/** MXNet {@code broadcast_add}: the sum with numpy-style broadcasting; CVM {@code broadcast_add}. */
@MrtOp(value = {"broadcast_add", "broadcast_plus"}, emits = "broadcast_add", inputPrecision = 16)
public final class BroadcastAdd implements InferShapeHook, ForwardHook, QuantizeHook, LowerToCvmHook {
  /** For the registry. */
  public BroadcastAdd() {}

  @Override
  public List<Shape> inferShape(ShapeContext ctx) {
    if (ctx.inputShapes().size() != 2) {
      throw ctx.error("expected 2 inputs, found " + ctx.inputShapes().size());
    }
    return List.of(Broadcast.shape(ctx, ctx.inputShape(0), ctx.inputShape(1)));
  }

  @Override
  public List<INDArray> forward(ForwardContext ctx) {
    return List.of(Broadcast.apply(ctx, ctx.input(0), ctx.input(1), INDArray::add));
  }

  /** MRT's broadcast add/sub: see {@link QuantizeRules#addOrPassThrough}. */
  @Override
  public Quantized quantize(QuantizeContext ctx) {
    return QuantizeRules.addOrPassThrough(ctx);
  }

  /** CVM {@code broadcast_add}. */
  @Override
  public List<Entry> lowerToCvm(LowerContext ctx) {
    return Lowering.same(ctx, "broadcast_add");
  }
}
