package io.mrt.ops;

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

/**
 * A reduction over {@code axis} with MXNet's rules (keepdims, exclude): its shape, its float
 * forward, the fusion of a transpose below it and the prepare-stage rewrite. A subclass gives the
 * kind of reduction, and its quantize rule and lowering if it has them.
 */
abstract class Reduction implements InferShapeHook, ForwardHook, FuseTransposeHook, RewriteHook {
  private final Reduce.Kind kind;

  Reduction(Reduce.Kind kind) {
    this.kind = kind;
  }

  @Override
  public List<Shape> inferShape(ShapeContext ctx) {
    return Reduce.shape(ctx);
  }

  @Override
  public List<INDArray> forward(ForwardContext ctx) {
    return Reduce.forward(ctx, kind);
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
