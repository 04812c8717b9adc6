package io.mrt.ops.onnx;

import io.mrt.api.graph.Attrs;
import io.mrt.api.graph.Entry;
import io.mrt.api.hook.RewriteContext;
import java.util.List;
import java.util.function.DoubleBinaryOperator;
import java.util.function.LongBinaryOperator;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The ONNX arithmetic ops ({@code Add}, {@code Sub}, {@code Mul}, {@code Div}) with numpy
 * broadcasting, as the built-in {@code broadcast_*} ops (which broadcast the same way). Two
 * constants are computed at once (integers stay integers, as in the shape arithmetic of exported
 * graphs).
 */
final class Binary {
  private Binary() {}

  static List<Entry> rewrite(RewriteContext ctx, String op, DoubleBinaryOperator f, LongBinaryOperator g) {
    Entry a = Onnx.required(ctx, 0, "A");
    Entry b = Onnx.required(ctx, 1, "B");
    if (Onnx.allConstant(ctx)) {
      return Onnx.fold(ctx, apply(ctx, ctx.paramValue(a).orElseThrow(), ctx.paramValue(b).orElseThrow(), f, g));
    }
    if (ctx.attrs().has("axis") || ctx.attrs().getInt("broadcast", 1) == 0 && !ctx.shapeOf(a).equals(ctx.shapeOf(b))) {
      throw ctx.error("the legacy broadcast attributes (opset < 7) are not supported");
    }
    return List.of(ctx.op(op, ctx.node().name(), Attrs.empty(), f32(ctx, a), f32(ctx, b)).out());
  }

  private static Entry f32(RewriteContext ctx, Entry e) {
    return ctx.paramValue(e).filter(Onnx::isInteger).map(v -> ctx.param(e.node().name() + "_f32", Onnx.f32(v)).out())
        .orElse(e);
  }

  /** {@code f(a, b)} with numpy broadcasting. */
  static INDArray apply(RewriteContext ctx, INDArray a, INDArray b, DoubleBinaryOperator f, LongBinaryOperator g) {
    long[] sa = a.shape();
    long[] sb = b.shape();
    int rank = Math.max(sa.length, sb.length);
    long[] out = new long[rank];
    for (int i = 0; i < rank; i++) {
      long da = i - (rank - sa.length) >= 0 ? sa[i - (rank - sa.length)] : 1;
      long db = i - (rank - sb.length) >= 0 ? sb[i - (rank - sb.length)] : 1;
      if (da != db && da != 1 && db != 1) {
        throw ctx.error("shapes " + java.util.Arrays.toString(sa) + " and " + java.util.Arrays.toString(sb)
            + " do not broadcast");
      }
      out[i] = da == 1 ? db : da;
    }
    long n = Onnx.product(out, 0, rank);
    boolean ints = Onnx.isInteger(a) && Onnx.isInteger(b);
    double[] da = a.dup('c').data().asDouble();
    double[] db = b.dup('c').data().asDouble();
    long[] la = ints ? a.dup('c').data().asLong() : null;
    long[] lb = ints ? b.dup('c').data().asLong() : null;
    double[] rd = new double[(int) n];
    long[] rl = ints ? new long[(int) n] : null;
    long[] idx = new long[rank];
    for (int k = 0; k < n; k++) {
      int ia = offset(idx, sa, rank);
      int ib = offset(idx, sb, rank);
      if (ints) {
        rl[k] = g.applyAsLong(la[ia], lb[ib]);
      } else {
        rd[k] = f.applyAsDouble(da[ia], db[ib]);
      }
      for (int d = rank - 1; d >= 0; d--) {
        if (++idx[d] < out[d]) {
          break;
        }
        idx[d] = 0;
      }
    }
    if (ints) {
      return rank == 0 ? Nd4j.scalar(rl[0]) : rl.length == 0 ? Nd4j.create(DataType.LONG, out)
          : Nd4j.createFromArray(rl).reshape('c', out);
    }
    float[] rf = new float[rd.length];
    for (int i = 0; i < rf.length; i++) {
      rf[i] = (float) rd[i];
    }
    return rank == 0 ? Nd4j.scalar(rf[0]) : rf.length == 0 ? Nd4j.create(DataType.FLOAT, out) : Nd4j.create(rf, out, 'c');
  }

  private static int offset(long[] idx, long[] shape, int rank) {
    long off = 0;
    for (int i = 0; i < shape.length; i++) {
      long d = shape[i];
      long x = d == 1 ? 0 : idx[i + rank - shape.length];
      off = off * d + x;
    }
    return (int) off;
  }
}
