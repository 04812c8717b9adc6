package io.mrt.ops.onnx;

import io.mrt.annotations.MrtOp;
import io.mrt.api.graph.Attrs;
import io.mrt.api.graph.Entry;
import io.mrt.api.graph.Shape;
import io.mrt.api.hook.RewriteContext;
import io.mrt.api.hook.RewriteHook;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * ONNX {@code MatMul} with a constant 2-D right operand {@code B (K, N)}, as the built-in
 * {@code FullyConnected} without bias and with {@code flatten=False} (the leading axes of
 * {@code A} stay); the weight is {@code B} transposed. Two constants are multiplied out.
 */
@MrtOp("onnx_MatMul")
public final class OnnxMatMul implements RewriteHook {
  /** For the registry. */
  public OnnxMatMul() {}

  @Override
  public List<Entry> rewrite(RewriteContext ctx) {
    if (Onnx.allConstant(ctx)) {
      INDArray a = Onnx.f32(ctx.paramValue(ctx.input(0)).orElseThrow());
      INDArray b = Onnx.f32(ctx.paramValue(ctx.input(1)).orElseThrow());
      if (a.rank() == 2 && b.rank() == 2) {
        return Onnx.fold(ctx, a.mmul(b));
      }
    }
    Entry x = Onnx.required(ctx, 0, "A");
    INDArray b = Onnx.f32(Onnx.requireConstant(ctx, 1, "B"));
    if (b.rank() != 2) {
      throw ctx.error("a constant B of rank above 2 is not supported, found rank " + b.rank());
    }
    Shape xs = ctx.shapeOf(x);
    if (xs.rank() < 2 || xs.dim(-1) != b.size(0)) {
      throw ctx.error("A " + xs + " and B " + Arrays.toString(b.shape()) + " cannot be multiplied");
    }
    String name = ctx.node().name();
    Entry w = ctx.param(name + "_weight", b.transpose().dup('c')).out();
    Attrs fc = Attrs.of("num_hidden", Long.toString(b.size(1)), "no_bias", "True",
        "flatten", xs.rank() == 2 ? "True" : "False");
    return List.of(ctx.op("FullyConnected", name, fc, x, w).out());
  }
}
