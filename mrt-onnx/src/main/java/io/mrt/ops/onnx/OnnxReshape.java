package io.mrt.ops.onnx;

import io.mrt.annotations.MrtOp;
import io.mrt.api.graph.Entry;
import io.mrt.api.graph.Shape;
import io.mrt.api.hook.RewriteContext;
import io.mrt.api.hook.RewriteHook;
import java.util.List;

/**
 * ONNX {@code Reshape} with a constant {@code shape} (an initializer, or a
 * {@code Shape -> Gather -> Unsqueeze -> Concat} chain folded once the input shape is known):
 * {@code 0} copies the input dimension (unless {@code allowzero}), {@code -1} is inferred. It
 * becomes the built-in {@code Reshape} to the computed shape, with the batch dimension written as a
 * copy when it carries over.
 */
@MrtOp("onnx_Reshape")
public final class OnnxReshape implements RewriteHook {
  /** For the registry. */
  public OnnxReshape() {}

  @Override
  public List<Entry> rewrite(RewriteContext ctx) {
    Entry x = Onnx.required(ctx, 0, "data");
    long[] target = Onnx.longs(Onnx.requireConstant(ctx, 1, "shape"));
    Shape in = ctx.shapeOf(x);
    long[] out = outputShape(ctx, in, target, ctx.attrs().getInt("allowzero", 0) != 0);
    for (long d : out) {
      if (d == 0) {
        throw ctx.error("a reshape to a zero-sized dimension is not supported, found shape " + Onnx.tuple(out));
      }
    }
    if (ctx.paramValue(x).isPresent()) {
      return Onnx.fold(ctx, ctx.paramValue(x).get().dup('c').reshape('c', out));
    }
    return List.of(Onnx.reshape(ctx, ctx.node().name(), x, out));
  }

  static long[] outputShape(RewriteContext ctx, Shape in, long[] target, boolean allowZero) {
    long[] out = target.clone();
    int infer = -1;
    long known = 1;
    for (int i = 0; i < out.length; i++) {
      if (out[i] == 0 && !allowZero) {
        if (i >= in.rank()) {
          throw ctx.error("shape " + Onnx.tuple(target) + " copies dimension " + i + " of an input of rank " + in.rank());
        }
        out[i] = in.dim(i);
      }
      if (out[i] == -1) {
        if (infer >= 0) {
          throw ctx.error("shape " + Onnx.tuple(target) + " has more than one -1");
        }
        infer = i;
      } else if (out[i] < 0) {
        throw ctx.error("shape " + Onnx.tuple(target) + " has a negative dimension");
      } else {
        known *= out[i];
      }
    }
    long size = in.size();
    if (infer >= 0) {
      if (known == 0 || size % known != 0) {
        throw ctx.error("cannot reshape " + in + " to " + Onnx.tuple(target));
      }
      out[infer] = size / known;
    } else if (known != size) {
      throw ctx.error("cannot reshape " + in + " (" + size + " elements) to " + Onnx.tuple(target));
    }
    return out;
  }
}
