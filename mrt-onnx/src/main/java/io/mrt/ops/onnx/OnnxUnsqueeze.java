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
import org.nd4j.linalg.factory.Nd4j;

/**
 * ONNX {@code Unsqueeze}: {@code axes} (of the output) as an attribute (opset &lt; 13) or a constant
 * input, as one built-in {@code expand_dims} per axis in ascending order; constants are reshaped
 * at once.
 */
@MrtOp("onnx_Unsqueeze")
public final class OnnxUnsqueeze implements RewriteHook {
  /** For the registry. */
  public OnnxUnsqueeze() {}

  @Override
  public List<Entry> rewrite(RewriteContext ctx) {
    Entry x = Onnx.required(ctx, 0, "data");
    Shape s = ctx.shapeOf(x);
    long[] axes = Onnx.opset(ctx) < 13 ? ctx.attrs().getLongs("axes") : Onnx.longs(Onnx.requireConstant(ctx, 1, "axes"));
    int outRank = s.rank() + axes.length;
    int[] ax = new int[axes.length];
    for (int i = 0; i < axes.length; i++) {
      ax[i] = Onnx.axis(ctx, "axis", axes[i], outRank);
    }
    Arrays.sort(ax);
    for (int i = 1; i < ax.length; i++) {
      if (ax[i] == ax[i - 1]) {
        throw ctx.error("axis " + ax[i] + " is given twice");
      }
    }
    long[] out = new long[outRank];
    int j = 0;
    int k = 0;
    for (int i = 0; i < outRank; i++) {
      if (k < ax.length && ax[k] == i) {
        out[i] = 1;
        k++;
      } else {
        out[i] = s.dim(j++);
      }
    }
    if (ctx.paramValue(x).isPresent()) {
      return Onnx.fold(ctx, reshaped(ctx.paramValue(x).get(), out));
    }
    Entry y = x;
    for (int i = 0; i < ax.length; i++) {
      String name = i == ax.length - 1 ? ctx.node().name() : ctx.node().name() + "_" + i;
      y = ctx.op("expand_dims", name, Attrs.of("axis", Integer.toString(ax[i])), y).out();
    }
    return List.of(y);
  }

  /** {@code v} with shape {@code out} (same elements), a scalar for an empty shape. */
  static INDArray reshaped(INDArray v, long[] out) {
    if (out.length == 0) {
      return Onnx.isInteger(v) ? Nd4j.scalar(v.getLong(0)) : Nd4j.scalar(v.getFloat(0));
    }
    return v.dup('c').reshape('c', out);
  }
}
