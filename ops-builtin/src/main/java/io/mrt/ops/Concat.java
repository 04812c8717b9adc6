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
import io.mrt.api.hook.ShapeContext;
import io.mrt.ops.support.QuantizeRules;
import io.mrt.ops.support.ShapeOf;
import io.mrt.ops.support.Tensors;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * MXNet {@code Concat}: joins its inputs along {@code dim}; every other axis must agree. Lowered
 * to CVM {@code concatenate}.
 */
@MrtOp(value = {"Concat", "concat"},
    attrs = {
        @Attr(name = "dim", type = int.class, defaultValue = "1"),
        @Attr(name = "num_args", type = int.class, defaultValue = "0")},
    emits = "concatenate", inputPrecision = 16)
public final class Concat implements InferShapeHook, ForwardHook, FuseTransposeHook, QuantizeHook, LowerToCvmHook {
  /** For the registry. */
  public Concat() {}

  @Override
  public List<Shape> inferShape(ShapeContext ctx) {
    List<Shape> in = ctx.inputShapes();
    int n = ctx.attrs().getInt("num_args");
    if (in.isEmpty() || (n != 0 && n != in.size())) {
      throw ctx.error("num_args is " + n + " but the node has " + in.size() + " inputs");
    }
    Shape first = in.get(0);
    int dim = Tensors.axis(ctx, "dim", ctx.attrs().getInt("dim"), first.rank());
    long total = 0;
    for (Shape s : in) {
      if (s.rank() != first.rank()) {
        throw ctx.error("inputs must have the same rank, found " + first + " and " + s);
      }
      for (int i = 0; i < s.rank(); i++) {
        if (i != dim && s.dim(i) != first.dim(i)) {
          throw ctx.error("inputs must agree on every axis but " + dim + ", found " + first + " and " + s);
        }
      }
      total += s.dim(dim);
    }
    return List.of(first.withDim(dim, total));
  }

  @Override
  public List<INDArray> forward(ForwardContext ctx) {
    inferShape(ShapeOf.inputs(ctx));
    int dim = Tensors.axis(ctx, "dim", ctx.attrs().getInt("dim"), ctx.input(0).rank());
    INDArray[] xs = ctx.inputs().stream().map(Tensors::f32).toArray(INDArray[]::new);
    if (xs.length == 1) {
      return List.of(xs[0].dup('c'));
    }
    return List.of(Nd4j.concat(dim, xs));
  }

  @Override
  public List<Entry> fuseTranspose(RewriteContext ctx) {
    return ShapeRewrites.concatFuse(ctx);
  }

  /** MRT's {@code _quantize_scale} at 16 bits, precision {@code max(p_i)}. */
  @Override
  public Quantized quantize(QuantizeContext ctx) {
    return QuantizeRules.commonScale(ctx, true);
  }

  /** CVM {@code concatenate} along {@code dim}. */
  @Override
  public List<Entry> lowerToCvm(LowerContext ctx) {
    int rank = ctx.shapeOf(ctx.input(0)).rank();
    int axis = Tensors.axis(ctx, "dim", ctx.attrs().getInt("dim"), rank);
    return List.of(ctx.emit("concatenate", io.mrt.api.graph.Attrs.of("axis", String.valueOf(axis)), ctx.inputs().toArray(Entry[]::new)));
  }
}
