package io.mrt.ops;

import io.mrt.annotations.Attr;
import io.mrt.annotations.MrtOp;
import io.mrt.api.graph.Entry;
import io.mrt.api.graph.Shape;
import io.mrt.api.hook.ForwardContext;
import io.mrt.api.hook.ForwardHook;
import io.mrt.api.hook.FuseTransposeHook;
import io.mrt.api.hook.InferShapeHook;
import io.mrt.api.hook.RewriteContext;
import io.mrt.api.hook.RewriteHook;
import io.mrt.api.hook.ShapeContext;
import io.mrt.ops.support.Reduce;
import io.mrt.ops.support.ReduceRewrites;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/** MXNet {@code mean}: the mean over {@code axis} (see the reduction rules of MXNet: keepdims, exclude). */
@MrtOp(value = {"mean"},
    attrs = {
        @Attr(name = "axis", type = int[].class, defaultValue = "None"),
        @Attr(name = "keepdims", type = boolean.class, defaultValue = "False"),
        @Attr(name = "exclude", type = boolean.class, defaultValue = "False")},
    emits = {"sum", "broadcast_mul"})
public final class Mean implements InferShapeHook, ForwardHook, FuseTransposeHook, RewriteHook {
  /** For the registry. */
  public Mean() {}

  @Override
  public List<Shape> inferShape(ShapeContext ctx) {
    return Reduce.shape(ctx);
  }

  @Override
  public List<INDArray> forward(ForwardContext ctx) {
    return Reduce.forward(ctx, Reduce.Kind.MEAN);
  }

  @Override
  public List<Entry> fuseTranspose(RewriteContext ctx) {
    return ReduceRewrites.fuseTranspose(ctx);
  }

  @Override
  public List<Entry> rewrite(RewriteContext ctx) {
    return ReduceRewrites.rewrite(ctx);
  }
}
