package io.mrt.ops.onnx;

import io.mrt.annotations.MrtOp;
import io.mrt.api.graph.Attrs;
import io.mrt.api.graph.Entry;
import io.mrt.api.graph.Node;
import io.mrt.api.hook.RewriteContext;
import io.mrt.api.hook.RewriteHook;
import java.util.List;
import java.util.Optional;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * ONNX {@code Pad}. The built-in ops have no stand-alone pad, so a {@code Pad} is supported where
 * it can be folded: a {@code constant} pad with value 0 of the spatial axes only, read by a
 * {@code Conv} ({@link OnnxConv} takes it into its padding). The rewrite keeps the node so that the
 * convolution after it can see it; a {@code Pad} that nothing folds is reported by the import.
 */
@MrtOp(OnnxPad.OP)
public final class OnnxPad implements RewriteHook {
  static final String OP = "onnx_Pad";

  /** For the registry. */
  public OnnxPad() {}

  @Override
  public List<Entry> rewrite(RewriteContext ctx) {
    if (pads(ctx, ctx.node()).isEmpty()) {
      throw ctx.error("pads must be a constant");
    }
    return ctx.unchanged();
  }

  /** The pads of a Pad node ({@code x1_begin, ..., x1_end, ...}), from its attribute or its constant input. */
  static Optional<long[]> pads(RewriteContext ctx, Node pad) {
    Attrs a = ctx.attrs().has("opset") && pad == ctx.node() ? ctx.attrs() : pad.attrs();
    if (a.getInt("opset", 17) < 11) {
      return Optional.of(a.getLongs("pads"));
    }
    if (pad.inputs().size() < 2) {
      return Optional.empty();
    }
    return ctx.paramValue(pad.input(1)).map(Onnx::longs);
  }

  /** Whether {@code pad} is a zero constant pad of the last {@code dims} axes only. */
  static boolean foldable(RewriteContext ctx, Node pad, int dims) {
    Attrs a = pad.attrs();
    if (!a.getString("mode", "constant").equals("constant")) {
      return false;
    }
    double value = 0;
    if (a.getInt("opset", 17) < 11) {
      value = a.getDouble("value", 0);
    } else if (pad.inputs().size() >= 3) {
      Optional<INDArray> v = ctx.paramValue(pad.input(2));
      if (v.isEmpty()) {
        return false;
      }
      value = v.get().getDouble(0);
    }
    Optional<long[]> p = pads(ctx, pad);
    if (value != 0 || p.isEmpty()) {
      return false;
    }
    long[] pads = p.get();
    int rank = pads.length / 2;
    for (int i = 0; i < rank - dims; i++) {
      if (pads[i] != 0 || pads[i + rank] != 0) {
        return false;
      }
    }
    for (long v : pads) {
      if (v < 0) {
        return false;
      }
    }
    return true;
  }

  /** The begin and end pads of the last {@code dims} axes. */
  static long[] spatialPads(RewriteContext ctx, Node pad, int dims) {
    long[] pads = pads(ctx, pad).orElseThrow();
    int rank = pads.length / 2;
    long[] out = new long[2 * dims];
    for (int i = 0; i < dims; i++) {
      out[i] = pads[rank - dims + i];
      out[dims + i] = pads[2 * rank - dims + i];
    }
    return out;
  }
}
