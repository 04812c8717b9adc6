package io.mrt.ops;

import io.mrt.annotations.Attr;
import io.mrt.annotations.MrtOp;
import io.mrt.annotations.When;
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

/** MXNet {@code Activation(act_type=relu)}, lowered to CVM {@code relu}. */
@MrtOp(value = "Activation", when = @When(attr = "act_type", equals = "relu"),
    attrs = @Attr(name = "act_type", type = String.class), emits = "relu")
public final class Relu implements InferShapeHook, ForwardHook, FuseTransposeHook {
  /** For the registry. */
  public Relu() {}

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
