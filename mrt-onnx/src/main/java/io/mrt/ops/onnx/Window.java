package io.mrt.ops.onnx;

import io.mrt.api.graph.Shape;
import io.mrt.api.hook.RewriteContext;

/** The padding of ONNX's sliding-window ops ({@code pads} or {@code auto_pad}). */
final class Window {
  private Window() {}

  /** The begin and end pads ({@code x1_begin, x2_begin, ..., x1_end, x2_end, ...}). */
  static long[] pads(RewriteContext ctx, Shape x, long[] kernel, long[] strides, long[] dil, int dims) {
    String auto = ctx.attrs().getString("auto_pad", "NOTSET");
    long[] pads = Onnx.ints(ctx, "pads", new long[2 * dims]);
    if (pads.length != 2 * dims) {
      throw ctx.error("pads must have " + (2 * dims) + " values, found " + Onnx.tuple(pads));
    }
    switch (auto) {
      case "NOTSET", "" -> {
        return pads.clone();
      }
      case "VALID" -> {
        return new long[2 * dims];
      }
      case "SAME_UPPER", "SAME_LOWER" -> {
        long[] p = new long[2 * dims];
        for (int i = 0; i < dims; i++) {
          long in = x.dim(x.rank() - dims + i);
          long out = (in + strides[i] - 1) / strides[i];
          long eff = (kernel[i] - 1) * dil[i] + 1;
          long total = Math.max(0, (out - 1) * strides[i] + eff - in);
          long small = total / 2;
          long large = total - small;
          p[i] = auto.equals("SAME_UPPER") ? small : large;
          p[i + dims] = auto.equals("SAME_UPPER") ? large : small;
        }
        return p;
      }
      default -> throw ctx.error("auto_pad '" + auto + "' is not supported (expected NOTSET, VALID, SAME_UPPER or SAME_LOWER)");
    }
  }

  /** The per-axis padding when begin and end agree; otherwise an error. */
  static long[] symmetric(RewriteContext ctx, long[] pads, int dims) {
    long[] s = new long[dims];
    for (int i = 0; i < dims; i++) {
      if (pads[i] != pads[i + dims]) {
        throw ctx.error("asymmetric padding is not supported (the built-in ops pad both sides of an axis alike),"
            + " found pads " + Onnx.tuple(pads));
      }
      s[i] = pads[i];
    }
    return s;
  }
}
