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
import io.mrt.api.hook.LowerContext;
import io.mrt.api.hook.LowerToCvmHook;
import io.mrt.api.hook.QuantizeContext;
import io.mrt.api.hook.QuantizeHook;
import io.mrt.api.hook.Quantized;
import io.mrt.api.hook.RewriteContext;
import io.mrt.api.hook.ShapeContext;
import io.mrt.ops.support.Lowering;
import io.mrt.ops.support.Tensors;
import io.mrt.ops.support.TransposeFusion;
import io.mrt.ops.support.Unary;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * MXNet {@code Activation(act_type=relu)} and the {@code relu} op ({@code max(x, 0)}), lowered to
 * CVM {@code relu}. The {@code relu} op has no {@code act_type}; the default makes it match.
 */
@MrtOp(value = {"Activation", "relu"}, when = @When(attr = "act_type", equals = "relu"),
    attrs = @Attr(name = "act_type", type = String.class, defaultValue = "relu"), emits = "relu")
public final class Relu implements InferShapeHook, ForwardHook, FuseTransposeHook, QuantizeHook, LowerToCvmHook {
  /** For the registry. */
  public Relu() {}

  @Override
  public List<Shape> inferShape(ShapeContext ctx) {
    return Unary.shape(ctx);
  }

  @Override
  public List<INDArray> forward(ForwardContext ctx) {
    // in place when the executor says nothing reads the input afterwards
    INDArray x = Tensors.f32(ctx.input(0));
    if (ctx.mayOverwrite(0) && !Tensors.rowMajor(x) && Tensors.dense(x)) {
      // an NHWC buffer: over its values in buffer order (ND4J's strided loop is ~30x slower)
      Transforms.relu(Tensors.flat(x), false);
      return List.of(x);
    }
    return List.of(Transforms.relu(x, !ctx.mayOverwrite(0)));
  }

  @Override
  public List<Entry> fuseTranspose(RewriteContext ctx) {
    return TransposeFusion.pushBelowUnary(ctx);
  }

  /** MRT's default: the input's scale and precision pass through. */
  @Override
  public Quantized quantize(QuantizeContext ctx) {
    return ctx.keepScale();
  }

  /** CVM {@code relu}. */
  @Override
  public List<Entry> lowerToCvm(LowerContext ctx) {
    return Lowering.same(ctx, "relu");
  }
}
