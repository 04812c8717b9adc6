package io.mrt.ops.onnx;

import io.mrt.annotations.MrtOp;
import io.mrt.api.graph.Attrs;
import io.mrt.api.graph.Entry;
import io.mrt.api.graph.Shape;
import io.mrt.api.hook.RewriteContext;
import io.mrt.api.hook.RewriteHook;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * ONNX {@code Slice}: {@code starts}, {@code ends}, {@code axes} as attributes (opset &lt; 10) or
 * constant inputs with optional {@code steps} (opset 10 on), clamped as ONNX clamps them, as the
 * built-in {@code slice} over every axis ({@code None} where an axis is whole). Constants are
 * sliced at once (positive steps).
 */
@MrtOp("onnx_Slice")
public final class OnnxSlice implements RewriteHook {
  /** For the registry. */
  public OnnxSlice() {}

  @Override
  public List<Entry> rewrite(RewriteContext ctx) {
    Entry x = Onnx.required(ctx, 0, "data");
    Shape s = ctx.shapeOf(x);
    long[] starts;
    long[] ends;
    long[] axes;
    long[] steps;
    if (Onnx.opset(ctx) < 10) {
      starts = ctx.attrs().getLongs("starts");
      ends = ctx.attrs().getLongs("ends");
      axes = Onnx.ints(ctx, "axes", range(starts.length));
      steps = ones(starts.length);
    } else {
      starts = Onnx.longs(Onnx.requireConstant(ctx, 1, "starts"));
      ends = Onnx.longs(Onnx.requireConstant(ctx, 2, "ends"));
      axes = Onnx.input(ctx, 3).isPresent() ? Onnx.longs(Onnx.requireConstant(ctx, 3, "axes")) : range(starts.length);
      steps = Onnx.input(ctx, 4).isPresent() ? Onnx.longs(Onnx.requireConstant(ctx, 4, "steps")) : ones(starts.length);
    }
    if (ends.length != starts.length || axes.length != starts.length || steps.length != starts.length) {
      throw ctx.error("starts, ends, axes and steps must have one value per sliced axis, found " + starts.length
          + ", " + ends.length + ", " + axes.length + ", " + steps.length);
    }
    int rank = s.rank();
    long[] b = new long[rank];
    long[] e = s.dims().clone();
    long[] st = ones(rank);
    boolean[] touched = new boolean[rank];
    for (int i = 0; i < starts.length; i++) {
      int ax = Onnx.axis(ctx, "axis", axes[i], rank);
      if (touched[ax]) {
        throw ctx.error("axis " + axes[i] + " is sliced twice");
      }
      touched[ax] = true;
      long d = s.dim(ax);
      long step = steps[i];
      if (step == 0) {
        throw ctx.error("step 0 on axis " + axes[i]);
      }
      long lo = starts[i] < 0 ? starts[i] + d : starts[i];
      long hi = ends[i] < 0 ? ends[i] + d : ends[i];
      if (step > 0) {
        lo = clamp(lo, 0, d);
        hi = clamp(hi, 0, d);
      } else {
        lo = clamp(lo, 0, d - 1);
        hi = clamp(hi, -1, d - 1);
      }
      b[ax] = lo;
      e[ax] = hi;
      st[ax] = step;
    }
    if (ctx.paramValue(x).isPresent() && allPositive(st)) {
      INDArray v = ctx.paramValue(x).get();
      INDArrayIndex[] idx = new INDArrayIndex[rank];
      for (int i = 0; i < rank; i++) {
        idx[i] = e[i] <= b[i] ? NDArrayIndex.interval(0, 0) : NDArrayIndex.interval(b[i], st[i], e[i]);
      }
      boolean empty = false;
      for (int i = 0; i < rank; i++) {
        empty |= e[i] <= b[i];
      }
      if (empty) {
        long[] shape = s.dims().clone();
        for (int i = 0; i < rank; i++) {
          shape[i] = e[i] <= b[i] ? 0 : shape[i];
        }
        return Onnx.fold(ctx, org.nd4j.linalg.factory.Nd4j.create(v.dataType(), shape));
      }
      return Onnx.fold(ctx, v.get(idx).dup('c'));
    }
    List<Long> begin = new ArrayList<>();
    List<Long> end = new ArrayList<>();
    List<Long> step = new ArrayList<>();
    for (int i = 0; i < rank; i++) {
      boolean whole = st[i] == 1 && b[i] == 0 && e[i] == s.dim(i);
      begin.add(whole ? null : b[i]);
      end.add(whole || e[i] < 0 ? null : e[i]);
      step.add(st[i]);
    }
    Attrs a = Attrs.of("begin", Onnx.optionalTuple(begin), "end", Onnx.optionalTuple(end), "step",
        Onnx.optionalTuple(step));
    return List.of(ctx.op("slice", ctx.node().name(), a, x).out());
  }

  private static boolean allPositive(long[] v) {
    for (long x : v) {
      if (x <= 0) {
        return false;
      }
    }
    return true;
  }

  private static long clamp(long v, long lo, long hi) {
    return Math.max(lo, Math.min(hi, v));
  }

  static long[] range(int n) {
    long[] v = new long[n];
    for (int i = 0; i < n; i++) {
      v[i] = i;
    }
    return v;
  }

  static long[] ones(int n) {
    long[] v = new long[n];
    java.util.Arrays.fill(v, 1);
    return v;
  }
}
