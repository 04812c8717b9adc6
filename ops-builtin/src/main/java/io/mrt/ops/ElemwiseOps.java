package io.mrt.ops;

import io.mrt.annotations.MrtOp;
import io.mrt.api.graph.Attrs;
import io.mrt.api.graph.Entry;
import io.mrt.api.graph.Shape;
import io.mrt.api.hook.ForwardContext;
import io.mrt.api.hook.ForwardHook;
import io.mrt.api.hook.FuseTransposeHook;
import io.mrt.api.hook.InferShapeHook;
import io.mrt.api.hook.RewriteContext;
import io.mrt.api.hook.RewriteHook;
import io.mrt.api.hook.ShapeContext;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * MXNet's elementwise binary ops on equal shapes: {@code elemwise_add}, {@code elemwise_sub},
 * {@code elemwise_mul}, {@code elemwise_div}. Transpose fusion: when both inputs are the same
 * transpose, the op runs first and one transpose follows. Rewrite: {@code elemwise_mul} becomes
 * {@code broadcast_mul} (MRT quantizes products only as broadcast_mul).
 */
@MrtOp(value = {"elemwise_add", "elemwise_sub", "elemwise_mul", "elemwise_div"},
    emits = {"elemwise_add", "elemwise_sub"}, inputPrecision = 16)
public final class ElemwiseOps implements InferShapeHook, ForwardHook, FuseTransposeHook, RewriteHook {
  /** For the registry. */
  public ElemwiseOps() {}

  @Override
  public List<Shape> inferShape(ShapeContext ctx) {
    if (ctx.inputShapes().size() != 2) {
      throw ctx.error("expects 2 inputs, found " + ctx.inputShapes().size());
    }
    if (!ctx.inputShape(0).equals(ctx.inputShape(1))) {
      throw ctx.error("inputs must have equal shapes, found " + ctx.inputShape(0) + " and " + ctx.inputShape(1));
    }
    return List.of(ctx.inputShape(0));
  }

  @Override
  public List<INDArray> forward(ForwardContext ctx) {
    INDArray a = ctx.input(0);
    INDArray b = ctx.input(1);
    INDArray r = switch (ctx.node().op()) {
      case "elemwise_add" -> a.add(b);
      case "elemwise_sub" -> a.sub(b);
      case "elemwise_mul" -> a.mul(b);
      case "elemwise_div" -> a.div(b);
      default -> throw ctx.error("not an elementwise op");
    };
    return List.of(r);
  }

  @Override
  public List<Entry> fuseTranspose(RewriteContext ctx) {
    if ("elemwise_div".equals(ctx.node().op())) {
      return ctx.unchanged();
    }
    return TransposeFusion.pushBelowElementwise(ctx);
  }

  @Override
  public List<Entry> rewrite(RewriteContext ctx) {
    if (!"elemwise_mul".equals(ctx.node().op())) {
      return ctx.unchanged();
    }
    return List.of(ctx.op("broadcast_mul", ctx.node().name(), Attrs.empty(), ctx.input(0), ctx.input(1)).out());
  }
}
