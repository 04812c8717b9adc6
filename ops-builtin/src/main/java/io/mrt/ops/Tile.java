package io.mrt.ops;

import io.mrt.annotations.Attr;
import io.mrt.annotations.MrtOp;
import io.mrt.api.graph.Attrs;
import io.mrt.api.graph.Entry;
import io.mrt.api.graph.Shape;
import io.mrt.api.hook.ForwardContext;
import io.mrt.api.hook.ForwardHook;
import io.mrt.api.hook.InferShapeHook;
import io.mrt.api.hook.LowerContext;
import io.mrt.api.hook.LowerToCvmHook;
import io.mrt.api.hook.OpContext;
import io.mrt.api.hook.QuantizeContext;
import io.mrt.api.hook.QuantizeHook;
import io.mrt.api.hook.Quantized;
import io.mrt.api.hook.ShapeContext;
import io.mrt.ops.support.Lowering;
import io.mrt.ops.support.ShapeOf;
import io.mrt.ops.support.Tensors;
import io.mrt.ops.support.Unary;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * MXNet {@code tile(reps)}, as numpy's: the shape and {@code reps} are right-aligned (the shorter
 * one padded with 1 on the left) and output axis {@code j} has {@code s[j] * reps[j]} elements,
 * {@code y[i] = x[i mod s]}. Quantized as MRT does by default (the input's scale and precision pass
 * through); lowered to CVM {@code tile(reps)}, whose shape rule is the same.
 */
@MrtOp(value = "tile", attrs = @Attr(name = "reps", type = int[].class), emits = "tile")
public final class Tile implements InferShapeHook, ForwardHook, QuantizeHook, LowerToCvmHook {
  /** For the registry. */
  public Tile() {}

  private static int[] reps(OpContext ctx) {
    int[] r = ctx.attrs().getInts("reps");
    if (r.length == 0) {
      throw ctx.error("attribute 'reps' must list at least one repetition, found ()");
    }
    for (int v : r) {
      if (v < 1) {
        throw ctx.error("attribute 'reps' must hold repetitions >= 1, found " + Attrs.tuple(r));
      }
    }
    return r;
  }

  /** The input shape padded with leading ones to the output rank. */
  private static long[] padded(Shape x, int rank) {
    long[] s = new long[rank];
    java.util.Arrays.fill(s, 1);
    System.arraycopy(x.dims(), 0, s, rank - x.rank(), x.rank());
    return s;
  }

  @Override
  public List<Shape> inferShape(ShapeContext ctx) {
    Shape x = Unary.shape(ctx).get(0);
    int[] r = reps(ctx);
    int rank = Math.max(x.rank(), r.length);
    long[] s = padded(x, rank);
    long[] out = new long[rank];
    for (int j = 0; j < rank; j++) {
      int rj = j - (rank - r.length);
      out[j] = s[j] * (rj < 0 ? 1 : r[rj]);
    }
    return List.of(Shape.of(out));
  }

  @Override
  public List<INDArray> forward(ForwardContext ctx) {
    INDArray input = ctx.input(0);
    long[] out = inferShape(ShapeOf.inputs(ctx)).get(0).dims();
    long[] s = padded(Tensors.shape(input), out.length);
    float[] x = Tensors.floats(input);
    long[] inStrides = Tensors.strides(s);
    float[] y = new float[Math.toIntExact(Tensors.size(out))];
    long[] idx = new long[out.length];
    for (int o = 0; o < y.length; o++) {
      long src = 0;
      for (int j = 0; j < out.length; j++) {
        src += (idx[j] % s[j]) * inStrides[j];
      }
      y[o] = x[(int) src];
      for (int j = out.length - 1; j >= 0; j--) {
        if (++idx[j] < out[j]) {
          break;
        }
        idx[j] = 0;
      }
    }
    return List.of(Tensors.of(y, out));
  }

  /** MRT's default: the input's scale and precision pass through. */
  @Override
  public Quantized quantize(QuantizeContext ctx) {
    return ctx.keepScale();
  }

  /** CVM {@code tile(reps)}. */
  @Override
  public List<Entry> lowerToCvm(LowerContext ctx) {
    return List.of(ctx.emit("tile", Attrs.of("reps", Lowering.tuple(reps(ctx))), ctx.input(0)));
  }
}
