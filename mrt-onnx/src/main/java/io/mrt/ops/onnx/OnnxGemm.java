package io.mrt.ops.onnx;

import io.mrt.annotations.MrtOp;
import io.mrt.api.graph.Attrs;
import io.mrt.api.graph.Entry;
import io.mrt.api.graph.Shape;
import io.mrt.api.hook.RewriteContext;
import io.mrt.api.hook.RewriteHook;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * ONNX {@code Gemm} ({@code alpha * A' * B' + beta * C}) as the built-in {@code FullyConnected}:
 * {@code B} must be a constant; it becomes the {@code (N, K)} weight ({@code transB} decides whether
 * it is transposed) scaled by {@code alpha}. {@code transA} puts a {@code transpose} before.
 * A constant {@code C} of {@code N}, {@code (1, N)} or one value becomes the bias {@code beta * C};
 * any other {@code C} is added with {@code broadcast_add}.
 */
@MrtOp("onnx_Gemm")
public final class OnnxGemm implements RewriteHook {
  /** For the registry. */
  public OnnxGemm() {}

  @Override
  public List<Entry> rewrite(RewriteContext ctx) {
    Attrs a = ctx.attrs();
    double alpha = a.getDouble("alpha", 1.0);
    double beta = a.getDouble("beta", 1.0);
    boolean transA = a.getInt("transA", 0) != 0;
    boolean transB = a.getInt("transB", 0) != 0;
    Entry x = Onnx.required(ctx, 0, "A");
    if (ctx.shapeOf(x).rank() != 2) {
      throw ctx.error("A must be 2-D, found " + ctx.shapeOf(x));
    }
    INDArray b = Onnx.f32(Onnx.requireConstant(ctx, 1, "B"));
    if (b.rank() != 2) {
      throw ctx.error("B must be 2-D, found " + Arrays.toString(b.shape()));
    }
    String name = ctx.node().name();
    if (transA) {
      x = ctx.op("transpose", name + "_transA", Attrs.of("axes", "(1, 0)"), x).out();
    }
    INDArray w = transB ? b.dup('c') : b.transpose().dup('c');
    if (alpha != 1.0) {
      w = w.mul(alpha);
    }
    long n = w.size(0);
    long k = w.size(1);
    if (ctx.shapeOf(x).dim(1) != k) {
      throw ctx.error("A' has " + ctx.shapeOf(x).dim(1) + " columns but B' has " + k + " rows");
    }
    Entry weight = ctx.param(name + "_weight", w).out();
    Optional<Entry> c = Onnx.input(ctx, 2);
    Optional<INDArray> cv = c.flatMap(ctx::paramValue);
    INDArray bias = null;
    if (cv.isPresent() && beta != 0) {
      INDArray cc = Onnx.f32(cv.get());
      if (cc.length() == n && (cc.rank() == 1 || (cc.rank() == 2 && cc.size(0) == 1))) {
        bias = cc.reshape(n).dup('c');
      } else if (cc.length() == 1) {
        bias = org.nd4j.linalg.factory.Nd4j.valueArrayOf(new long[] {n}, cc.getDouble(0), cc.dataType());
      }
      if (bias != null && beta != 1.0) {
        bias = bias.mul(beta);
      }
    }
    Attrs fc = Attrs.of("num_hidden", Long.toString(n), "no_bias", bias == null ? "True" : "False");
    Entry y = bias == null
        ? ctx.op("FullyConnected", name, fc, x, weight).out()
        : ctx.op("FullyConnected", name, fc, x, weight, ctx.param(name + "_bias", bias).out()).out();
    if (c.isPresent() && bias == null && beta != 0) {
      Entry ce = c.get();
      if (beta != 1.0) {
        INDArray scale = org.nd4j.linalg.factory.Nd4j.scalar(org.nd4j.linalg.api.buffer.DataType.FLOAT, beta)
            .reshape(1, 1);
        ce = ctx.op("broadcast_mul", name + "_beta", Attrs.empty(), ce, ctx.param(name + "_beta_value", scale).out())
            .out();
      }
      Shape cs = ctx.shapeOf(ce);
      if (cs.rank() > 2) {
        throw ctx.error("C must be at most 2-D, found " + cs);
      }
      y = ctx.op("broadcast_add", name + "_add_c", Attrs.empty(), y, ce).out();
    }
    return List.of(y);
  }
}
