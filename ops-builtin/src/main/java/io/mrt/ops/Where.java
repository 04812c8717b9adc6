package io.mrt.ops;

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
import io.mrt.api.hook.QuantMath;
import io.mrt.api.hook.QuantizeContext;
import io.mrt.api.hook.QuantizeHook;
import io.mrt.api.hook.Quantized;
import io.mrt.api.hook.ShapeContext;
import io.mrt.ops.support.Lowering;
import io.mrt.ops.support.Tensors;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * MXNet {@code where(condition, x, y)}: {@code condition != 0 ? x : y}, element-wise; x and y have
 * the same shape, the condition has that shape too or is 1-D with one value per row (axis 0).
 *
 * <p>Quantized with x and y at one scale (MRT's {@code _quantize_scale} at 16 bits, unless they
 * already share a scale) and the condition as it is (a condition parameter becomes its 0/1
 * pattern); the output has the scale of x and y.
 *
 * <p>Lowered to CVM {@code where}, avoiding the runtime's two quirks (CVM_OPS.md section 7.5 and
 * the 1-D condition row copy of section 1): a 1-D condition is first broadcast to the full shape
 * ({@code reshape} to {@code (N, 1, ..., 1)} then {@code tile}), and a condition of lower precision
 * than x and y is widened with {@code cvm_clip} (a no-op on its values), because the runtime gives
 * {@code where} the precision of its condition.
 */
@MrtOp(value = "where", emits = {"where", "reshape", "tile", "cvm_clip"}, inputPrecision = 16)
public final class Where implements InferShapeHook, ForwardHook, QuantizeHook, LowerToCvmHook {
  /** For the registry. */
  public Where() {}

  /** Checks the shapes; whether the condition is 1-D per row. */
  private static boolean rowCondition(OpContext ctx, Shape c, Shape x, Shape y) {
    if (!x.equals(y)) {
      throw ctx.error("x and y must have the same shape, found " + x + " and " + y);
    }
    if (c.equals(x)) {
      return false;
    }
    if (c.rank() == 1 && c.dim(0) == x.dim(0)) {
      return true;
    }
    throw ctx.error("the condition must have the shape of x " + x + " or be 1-D of length " + x.dim(0)
        + ", found " + c);
  }

  @Override
  public List<Shape> inferShape(ShapeContext ctx) {
    if (ctx.inputShapes().size() != 3) {
      throw ctx.error("expected 3 inputs (condition, x, y), found " + ctx.inputShapes().size());
    }
    rowCondition(ctx, ctx.inputShape(0), ctx.inputShape(1), ctx.inputShape(2));
    return List.of(ctx.inputShape(1));
  }

  @Override
  public List<INDArray> forward(ForwardContext ctx) {
    Shape xs = Tensors.shape(ctx.input(1));
    boolean rows = rowCondition(ctx, Tensors.shape(ctx.input(0)), xs, Tensors.shape(ctx.input(2)));
    float[] c = Tensors.floats(ctx.input(0));
    float[] x = Tensors.floats(ctx.input(1));
    float[] y = Tensors.floats(ctx.input(2));
    int row = rows ? (int) (xs.size() / xs.dim(0)) : 1;
    float[] out = new float[x.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = c[i / row] != 0 ? x[i] : y[i];
    }
    return List.of(Tensors.of(out, xs.dims()));
  }

  /** x and y at one scale; the condition unchanged (a parameter becomes 0/1). */
  @Override
  public Quantized quantize(QuantizeContext ctx) {
    Entry cond = ctx.input(0);
    int pc;
    if (ctx.isParam(cond)) {
      INDArray v = ctx.paramValue(cond).orElseThrow().castTo(DataType.DOUBLE);
      double[] d = v.dup('c').reshape(v.length()).toDoubleVector();
      for (int i = 0; i < d.length; i++) {
        d[i] = d[i] != 0 ? 1 : 0;
      }
      cond = ctx.integerParam(ctx.node().name() + "_cond", Nd4j.create(d, v.shape(), DataType.DOUBLE), 2);
      pc = 2;
    } else {
      pc = ctx.precision(cond);
    }
    Entry x = ctx.input(1);
    Entry y = ctx.input(2);
    double s;
    Quantized qx;
    Quantized qy;
    if (!ctx.isParam(x) && !ctx.isParam(y) && ctx.scale(x) == ctx.scale(y)) {
      s = ctx.scale(x);
      qx = ctx.quantized(x);
      qy = ctx.quantized(y);
    } else {
      int p = ctx.inputPrecision();
      s = QuantMath.scale(Math.max(ctx.threshold(x), ctx.threshold(y)), p);
      qx = ctx.requantize(x, p, s);
      qy = ctx.requantize(y, p, s);
    }
    Entry out = ctx.rebuild(cond, qx.output(), qy.output());
    return new Quantized(out, s, Math.max(pc, Math.max(qx.precision(), qy.precision())));
  }

  /** CVM {@code where} on a full-shape condition of at least the precision of x and y. */
  @Override
  public List<Entry> lowerToCvm(LowerContext ctx) {
    Entry cond = ctx.input(0);
    Entry x = ctx.input(1);
    Entry y = ctx.input(2);
    Shape xs = ctx.shapeOf(x);
    if (rowCondition(ctx, ctx.shapeOf(cond), xs, ctx.shapeOf(y)) && xs.rank() > 1) {
      long[] column = new long[xs.rank()];
      int[] reps = new int[xs.rank()];
      java.util.Arrays.fill(column, 1);
      column[0] = xs.dim(0);
      reps[0] = 1;
      for (int i = 1; i < xs.rank(); i++) {
        reps[i] = Math.toIntExact(xs.dim(i));
      }
      cond = ctx.emit("reshape", Attrs.of("shape", Lowering.tuple(column)), cond);
      cond = ctx.emit("tile", Attrs.of("reps", Lowering.tuple(reps)), cond);
    }
    int p = Math.max(ctx.precisionOf(x), ctx.precisionOf(y));
    if (ctx.precisionOf(cond) < p) {
      cond = ctx.emit("cvm_clip", Attrs.of("precision", String.valueOf(p)), cond);
    }
    return List.of(ctx.emit("where", Attrs.empty(), cond, x, y));
  }
}
