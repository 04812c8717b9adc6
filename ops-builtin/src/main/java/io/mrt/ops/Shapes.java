package io.mrt.ops;

import io.mrt.api.hook.OpContext;

/** Shape arithmetic shared by the built-in ops. */
final class Shapes {
  private Shapes() {}

  /** The output size of a convolution or pooling window along one axis (floor convention). */
  static long window(OpContext ctx, String what, long in, int kernel, int stride, int pad, int dilation) {
    long eff = (long) (kernel - 1) * dilation + 1;
    if (stride < 1) {
      throw ctx.error(what + ": stride must be >= 1, found " + stride);
    }
    if (in + 2L * pad < eff) {
      throw ctx.error(what + ": window " + eff + " is larger than the padded input " + (in + 2L * pad));
    }
    return (in + 2L * pad - eff) / stride + 1;
  }

  /** A tuple attribute with exactly {@code n} values; a single value is repeated. */
  static int[] expand(OpContext ctx, String key, int[] v, int n) {
    if (v.length == n) {
      return v;
    }
    if (v.length == 1) {
      int[] out = new int[n];
      java.util.Arrays.fill(out, v[0]);
      return out;
    }
    throw ctx.error("attribute '" + key + "' must have " + n + " values, found " + v.length);
  }
}
