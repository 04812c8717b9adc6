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
import io.mrt.ops.support.Tensors;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * MXNet {@code slice}: per leading axis a range {@code begin:end:step} (each may be None; negative
 * values count from the end; a negative step walks backwards), clamped as MXNet's
 * {@code GetIndexRange} does. Axes after the listed ones are kept whole. Lowered to CVM
 * {@code strided_slice}.
 */
@MrtOp(value = {"slice", "crop"},
    attrs = {
        @Attr(name = "begin", type = String.class),
        @Attr(name = "end", type = String.class),
        @Attr(name = "step", type = String.class, defaultValue = "()")},
    emits = "strided_slice")
public final class Slice implements InferShapeHook, ForwardHook, QuantizeHook, LowerToCvmHook {
  /** For the registry. */
  public Slice() {}

  /** The resolved ranges: begin, step and output size per axis. */
  record Range(long[] begin, long[] step, long[] out) {}

  private static Long[] optional(OpContext ctx, String key) {
    List<String> items = Attrs.tupleItems(key, ctx.attrs().getString(key));
    Long[] v = new Long[items.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = Attrs.isNone(items.get(i)) ? null : Attrs.parseLong(key, items.get(i));
    }
    return v;
  }

  static Range range(OpContext ctx, Shape x) {
    Long[] begin = optional(ctx, "begin");
    Long[] end = optional(ctx, "end");
    Long[] step = optional(ctx, "step");
    if (begin.length != end.length || (step.length != 0 && step.length != begin.length)) {
      throw ctx.error("begin, end and step must have the same length, found " + begin.length + ", " + end.length
          + " and " + step.length);
    }
    if (begin.length > x.rank()) {
      throw ctx.error("begin has " + begin.length + " values for an input of rank " + x.rank());
    }
    int rank = x.rank();
    long[] b = new long[rank];
    long[] s = new long[rank];
    long[] out = x.dims();
    for (int i = 0; i < rank; i++) {
      s[i] = 1;
      if (i >= begin.length) {
        continue;
      }
      long st = step.length == 0 || step[i] == null ? 1 : step[i];
      if (st == 0) {
        throw ctx.error("step must not be 0 (axis " + i + ")");
      }
      long len = x.dim(i);
      long bi = 0;
      long ei = 0;
      if (len > 0) {
        bi = begin[i] != null ? begin[i] : (st < 0 ? len - 1 : 0);
        ei = end[i] != null ? end[i] : (st < 0 ? -1 : len);
        if (bi < 0) {
          bi += len;
        }
        if (ei < 0 && end[i] != null) {
          ei += len;
        }
        bi = bi < 0 && st > 0 ? 0 : bi;
        bi = bi > len - 1 && st < 0 ? len - 1 : bi;
        bi = bi < 0 || bi > len - 1 ? -1 : bi;
        ei = Math.max(ei, -1);
        ei = Math.min(ei, len);
      }
      long n = 0;
      if (ei != bi && bi >= 0) {
        n = st > 0 ? (ei > bi ? (ei - bi - 1) / st + 1 : 0) : (ei < bi ? (bi - ei - 1) / (-st) + 1 : 0);
      }
      b[i] = Math.max(bi, 0);
      s[i] = st;
      out[i] = n;
    }
    return new Range(b, s, out);
  }

  @Override
  public List<Shape> inferShape(ShapeContext ctx) {
    return List.of(Shape.of(range(ctx, ctx.inputShape(0)).out()));
  }

  @Override
  public List<INDArray> forward(ForwardContext ctx) {
    INDArray x = ctx.input(0);
    Range r = range(ctx, Tensors.shape(x));
    return List.of(Tensors.stridedSlice(x, r.begin(), r.step(), r.out()));
  }

  /** MRT's default: the input's scale and precision pass through. */
  @Override
  public Quantized quantize(QuantizeContext ctx) {
    return ctx.keepScale();
  }

  /** CVM {@code strided_slice} with explicit bounds on every axis. */
  @Override
  public List<Entry> lowerToCvm(LowerContext ctx) {
    Range r = range(ctx, ctx.shapeOf(ctx.input(0)));
    return Lowering.stridedSlice(ctx, r.begin(), r.step(), r.out());
  }
}
