package io.mrt.ops;

import io.mrt.annotations.Attr;
import io.mrt.annotations.MrtOp;
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
import io.mrt.api.hook.RewriteHook;
import io.mrt.api.hook.ShapeContext;
import io.mrt.ops.support.Lowering;
import io.mrt.ops.support.Reduce;
import io.mrt.ops.support.ReduceRewrites;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/** MXNet {@code max}: the maximum over {@code axis} (see the reduction rules of MXNet: keepdims, exclude). */
@MrtOp(value = {"max", "max_axis"},
    attrs = {
        @Attr(name = "axis", type = int[].class, defaultValue = "None"),
        @Attr(name = "keepdims", type = boolean.class, defaultValue = "False"),
        @Attr(name = "exclude", type = boolean.class, defaultValue = "False")},
    emits = {"max"})
public final class Max implements InferShapeHook, ForwardHook, FuseTransposeHook, RewriteHook, QuantizeHook, LowerToCvmHook {
  /** For the registry. */
  public Max() {}

  @Override
  public List<Shape> inferShape(ShapeContext ctx) {
    return Reduce.shape(ctx);
  }

  @Override
  public List<INDArray> forward(ForwardContext ctx) {
    return Reduce.forward(ctx, Reduce.Kind.MAX);
  }

  @Override
  public List<Entry> fuseTranspose(RewriteContext ctx) {
    return ReduceRewrites.fuseTranspose(ctx);
  }

  @Override
  public List<Entry> rewrite(RewriteContext ctx) {
    return ReduceRewrites.rewrite(ctx);
  }

  /** MRT's default: the input's scale and precision pass through. */
  @Override
  public Quantized quantize(QuantizeContext ctx) {
    return ctx.keepScale();
  }

  /** CVM {@code max} over explicit axes. */
  @Override
  public List<Entry> lowerToCvm(LowerContext ctx) {
    return Lowering.reduce(ctx, "max");
  }
}
