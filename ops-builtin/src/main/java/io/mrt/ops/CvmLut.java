package io.mrt.ops;

import io.mrt.annotations.Attr;
import io.mrt.annotations.MrtOp;
import io.mrt.api.graph.Attrs;
import io.mrt.api.graph.Entry;
import io.mrt.api.graph.Shape;
import io.mrt.api.hook.ForwardContext;
import io.mrt.api.hook.ForwardHook;
import io.mrt.api.hook.InferPrecisionHook;
import io.mrt.api.hook.InferShapeHook;
import io.mrt.api.hook.LowerContext;
import io.mrt.api.hook.LowerToCvmHook;
import io.mrt.api.hook.PrecisionContext;
import io.mrt.api.hook.ShapeContext;
import io.mrt.ops.support.IntValues;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * MRT's custom op {@code cvm_lut(in_dim)}: inputs (indices {@code x}, table {@code T} of
 * {@code in_dim} values); {@code y[i] = T_flat[clamp(x[i], 0, in_dim-1)]}, the shape of
 * {@code x}. The precision is the table's. Lowered to CVM {@code cvm_lut}.
 */
@MrtOp(value = "cvm_lut", attrs = @Attr(name = "in_dim", type = int.class),
    restorable = false, emits = "cvm_lut")
public final class CvmLut implements InferShapeHook, ForwardHook, InferPrecisionHook, LowerToCvmHook {
  /** For the registry. */
  public CvmLut() {}

  @Override
  public List<Shape> inferShape(ShapeContext ctx) {
    int inDim = ctx.attrs().getInt("in_dim");
    long size = ctx.inputShape(1).size();
    if (size != inDim) {
      throw ctx.error("attribute 'in_dim' must equal the table size " + size + ", found " + inDim);
    }
    return List.of(ctx.inputShape(0));
  }

  @Override
  public List<INDArray> forward(ForwardContext ctx) {
    INDArray x = ctx.input(0);
    double[] idx = IntValues.of(x);
    double[] table = IntValues.of(ctx.input(1));
    double[] y = new double[idx.length];
    for (int i = 0; i < idx.length; i++) {
      long k = Math.max(0, Math.min(table.length - 1, IntValues.round(idx[i])));
      y[i] = table[(int) k];
    }
    return List.of(IntValues.create(y, x.shape(), ctx.input(1).dataType()));
  }

  @Override
  public List<Integer> inferPrecision(PrecisionContext ctx) {
    return List.of(ctx.inputPrecision(1));
  }

  @Override
  public List<Entry> lowerToCvm(LowerContext ctx) {
    return List.of(ctx.emit("cvm_lut", Attrs.of("in_dim", ctx.attrs().getString("in_dim")), ctx.input(0), ctx.input(1)));
  }
}
