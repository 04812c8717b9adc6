package io.mrt.ops;

import io.mrt.annotations.MrtOp;
import io.mrt.api.graph.Entry;
import io.mrt.api.graph.Shape;
import io.mrt.api.hook.ForwardContext;
import io.mrt.api.hook.ForwardHook;
import io.mrt.api.hook.InferShapeHook;
import io.mrt.api.hook.LowerContext;
import io.mrt.api.hook.LowerToCvmHook;
import io.mrt.api.hook.ShapeContext;
import io.mrt.ops.support.Broadcast;
import io.mrt.ops.support.Lowering;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/** MXNet {@code broadcast_div}: the quotient with numpy-style broadcasting; CVM {@code broadcast_div}. */
@MrtOp(value = "broadcast_div", emits = "broadcast_div")
public final class BroadcastDiv implements InferShapeHook, ForwardHook, LowerToCvmHook {
  /** For the registry. */
  public BroadcastDiv() {}

  @Override
  public List<Shape> inferShape(ShapeContext ctx) {
    if (ctx.inputShapes().size() != 2) {
      throw ctx.error("expected 2 inputs, found " + ctx.inputShapes().size());
    }
    return List.of(Broadcast.shape(ctx, ctx.inputShape(0), ctx.inputShape(1)));
  }

  @Override
  public List<INDArray> forward(ForwardContext ctx) {
    return List.of(Broadcast.apply(ctx, ctx.input(0), ctx.input(1), INDArray::div));
  }

  /** CVM {@code broadcast_div}. */
  @Override
  public List<Entry> lowerToCvm(LowerContext ctx) {
    return Lowering.same(ctx, "broadcast_div");
  }
}
