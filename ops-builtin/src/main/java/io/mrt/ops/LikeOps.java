package io.mrt.ops;

import io.mrt.annotations.MrtOp;
import io.mrt.api.graph.Attrs;
import io.mrt.api.graph.Entry;
import io.mrt.api.graph.Node;
import io.mrt.api.graph.Shape;
import io.mrt.api.hook.ForwardContext;
import io.mrt.api.hook.ForwardHook;
import io.mrt.api.hook.InferShapeHook;
import io.mrt.api.hook.RewriteContext;
import io.mrt.api.hook.RewriteHook;
import io.mrt.api.hook.ShapeContext;
import io.mrt.ops.support.Consts;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * MXNet {@code zeros_like} and {@code ones_like}. Rewritten as MRT does: {@code zeros_like(X) =
 * broadcast_mul(X, 0)}, {@code ones_like(X) = broadcast_add(broadcast_mul(X, 0), 1)}.
 */
@MrtOp({"zeros_like", "ones_like"})
public final class LikeOps implements InferShapeHook, ForwardHook, RewriteHook {
  /** For the registry. */
  public LikeOps() {}

  @Override
  public List<Shape> inferShape(ShapeContext ctx) {
    return List.of(ctx.inputShape(0));
  }

  @Override
  public List<INDArray> forward(ForwardContext ctx) {
    INDArray x = ctx.input(0);
    return List.of("zeros_like".equals(ctx.node().op())
        ? Nd4j.zeros(x.dataType(), x.shape()) : Nd4j.ones(x.dataType(), x.shape()));
  }

  @Override
  public List<Entry> rewrite(RewriteContext ctx) {
    Node node = ctx.node();
    String n = node.name();
    boolean zeros = "zeros_like".equals(node.op());
    Node mul = ctx.op("broadcast_mul", zeros ? n : n + "_zero", Attrs.empty(), ctx.input(0),
        Consts.scalar(ctx, n + "_zero_scalar", 0));
    if (zeros) {
      return List.of(mul.out());
    }
    Node add = ctx.op("broadcast_add", n, Attrs.empty(), mul.out(), Consts.scalar(ctx, n + "_one", 1));
    return List.of(add.out());
  }
}
