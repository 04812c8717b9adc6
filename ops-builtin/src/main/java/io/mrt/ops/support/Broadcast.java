package io.mrt.ops.support;

import io.mrt.api.graph.Shape;
import io.mrt.api.hook.OpContext;
import java.util.function.BinaryOperator;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Shape rules and evaluation of element-wise binary ops (MXNet's elemwise_* and broadcast_*). */
public final class Broadcast {
  private Broadcast() {}

  /** The output shape of a numpy-style broadcast (shorter shapes are padded with 1 on the left). */
  public static Shape shape(OpContext ctx, Shape a, Shape b) {
    int rank = Math.max(a.rank(), b.rank());
    long[] out = new long[rank];
    for (int i = 0; i < rank; i++) {
      int ia = i - (rank - a.rank());
      int ib = i - (rank - b.rank());
      long da = ia < 0 ? 1 : a.dim(ia);
      long db = ib < 0 ? 1 : b.dim(ib);
      if (da != db && da != 1 && db != 1) {
        throw ctx.error("shapes " + a + " and " + b + " cannot be broadcast together (axis " + i + ": "
            + da + " vs " + db + ")");
      }
      out[i] = da == 1 ? db : da;
    }
    return Shape.of(out);
  }

  /** Element-wise ops require identical shapes. */
  public static Shape same(OpContext ctx, Shape a, Shape b) {
    if (!a.equals(b)) {
      throw ctx.error("input shapes must be equal, found " + a + " and " + b);
    }
    return a;
  }

  /** Applies {@code op} (an ND4J broadcasting arithmetic method) to float32 copies of both inputs. */
  public static INDArray apply(OpContext ctx, INDArray a, INDArray b, BinaryOperator<INDArray> op) {
    Shape out = shape(ctx, Tensors.shape(a), Tensors.shape(b));
    INDArray x = Tensors.f32(a);
    INDArray y = Tensors.f32(b);
    // ND4J broadcasts arrays of equal rank; pad the shorter shape with leading ones first
    if (x.rank() < out.rank()) {
      x = x.reshape(pad(x.shape(), out.rank()));
    }
    if (y.rank() < out.rank()) {
      y = y.reshape(pad(y.shape(), out.rank()));
    }
    INDArray r = op.apply(x, y);
    return Tensors.f32(r);
  }

  private static long[] pad(long[] s, int rank) {
    long[] p = new long[rank];
    java.util.Arrays.fill(p, 1);
    System.arraycopy(s, 0, p, rank - s.length, s.length);
    return p;
  }
}
