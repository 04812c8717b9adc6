package io.mrt.ops;

import io.mrt.annotations.Attr;
import io.mrt.annotations.MrtOp;
import io.mrt.api.graph.Attrs;
import io.mrt.api.graph.Entry;
import io.mrt.api.graph.Shape;
import io.mrt.api.hook.ForwardContext;
import io.mrt.api.hook.ForwardHook;
import io.mrt.api.hook.FuseTransposeHook;
import io.mrt.api.hook.InferShapeHook;
import io.mrt.api.hook.LowerContext;
import io.mrt.api.hook.LowerToCvmHook;
import io.mrt.api.hook.OpContext;
import io.mrt.api.hook.QuantizeContext;
import io.mrt.api.hook.QuantizeHook;
import io.mrt.api.hook.Quantized;
import io.mrt.api.hook.RewriteContext;
import io.mrt.api.hook.RewriteHook;
import io.mrt.api.hook.ShapeContext;
import io.mrt.ops.support.Lowering;
import io.mrt.ops.support.Tensors;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * MXNet {@code transpose}: output axis i is input axis {@code axes[i]}; empty {@code axes}
 * reverses the axes. Lowered to CVM {@code transpose}.
 */
@MrtOp(value = "transpose", attrs = @Attr(name = "axes", type = int[].class, defaultValue = "()"),
    emits = "transpose")
public final class Transpose implements InferShapeHook, ForwardHook, FuseTransposeHook, RewriteHook, QuantizeHook, LowerToCvmHook {
  /** For the registry. */
  public Transpose() {}

  /** The permutation for a given rank, validated. */
  static int[] axes(OpContext ctx, int rank) {
    int[] a = ctx.attrs().getInts("axes");
    if (a.length == 0) {
      a = new int[rank];
      for (int i = 0; i < rank; i++) {
        a[i] = rank - 1 - i;
      }
      return a;
    }
    if (a.length != rank) {
      throw ctx.error("axes " + Attrs.tuple(a) + " must have one entry per input axis (" + rank + ")");
    }
    boolean[] seen = new boolean[rank];
    int[] out = new int[rank];
    for (int i = 0; i < rank; i++) {
      int ax = Tensors.axis(ctx, "axes", a[i], rank);
      if (seen[ax]) {
        throw ctx.error("axes " + Attrs.tuple(a) + " is not a permutation");
      }
      seen[ax] = true;
      out[i] = ax;
    }
    return out;
  }

  @Override
  public List<Shape> inferShape(ShapeContext ctx) {
    Shape x = ctx.inputShape(0);
    int[] p = axes(ctx, x.rank());
    long[] d = new long[p.length];
    for (int i = 0; i < p.length; i++) {
      d[i] = x.dim(p[i]);
    }
    return List.of(Shape.of(d));
  }

  @Override
  public List<INDArray> forward(ForwardContext ctx) {
    INDArray x = Tensors.f32(ctx.input(0));
    return List.of(x.permute(axes(ctx, x.rank())).dup('c'));
  }

  @Override
  public List<Entry> fuseTranspose(RewriteContext ctx) {
    return ShapeRewrites.transposeFuse(ctx);
  }

  @Override
  public List<Entry> rewrite(RewriteContext ctx) {
    return ShapeRewrites.transposeRewrite(ctx);
  }

  /** MRT's default: the input's scale and precision pass through. */
  @Override
  public Quantized quantize(QuantizeContext ctx) {
    return ctx.keepScale();
  }

  /** CVM {@code transpose} with explicit axes. */
  @Override
  public List<Entry> lowerToCvm(LowerContext ctx) {
    int rank = ctx.shapeOf(ctx.input(0)).rank();
    return List.of(ctx.emit("transpose", io.mrt.api.graph.Attrs.of("axes", Lowering.tuple(axes(ctx, rank))), ctx.input(0)));
  }
}
