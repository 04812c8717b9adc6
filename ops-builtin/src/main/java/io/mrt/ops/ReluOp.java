package io.mrt.ops;

import io.mrt.annotations.MrtOp;
import io.mrt.api.graph.Entry;
import io.mrt.api.graph.Shape;
import io.mrt.api.hook.ForwardContext;
import io.mrt.api.hook.ForwardHook;
import io.mrt.api.hook.FuseTransposeHook;
import io.mrt.api.hook.InferShapeHook;
import io.mrt.api.hook.RewriteContext;
import io.mrt.api.hook.ShapeContext;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/** MXNet's {@code relu} op ({@code max(x, 0)}), lowered to CVM {@code relu}. */
@MrtOp(value = "relu", emits = "relu")
public final class ReluOp implements InferShapeHook, ForwardHook, FuseTransposeHook {
  /** For the registry. */
  public ReluOp() {}

  @Override
  public List<Shape> inferShape(ShapeContext ctx) {
    return List.of(ctx.inputShape(0));
  }

  @Override
  public List<INDArray> forward(ForwardContext ctx) {
    return List.of(Transforms.relu(ctx.input(0), true));
  }

  @Override
  public List<Entry> fuseTranspose(RewriteContext ctx) {
    return TransposeFusion.pushBelowUnary(ctx);
  }
}
