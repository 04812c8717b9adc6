package io.mrt.ops.support;

import io.mrt.api.hook.OpContext;

/** Shape arithmetic shared by the built-in ops. */
public final class Shapes {
  /** The largest padding accepted on one side (far above any real model; keeps shapes far from overflow). */
  public static final int MAX_PAD = 1 << 16;

  private Shapes() {}

  /** Refuses a pad outside [0, {@link #MAX_PAD}] or a kernel below 1 in a pooling window. */
  public static void checkPool(OpContext ctx, int[] kernel, int[] pad) {
    for (int i = 0; i < kernel.length; i++) {
      if (kernel[i] < 1) {
        throw ctx.error("kernel must be >= 1, found " + java.util.Arrays.toString(kernel));
      }
    }
    for (int i = 0; i < pad.length; i++) {
      if (pad[i] < 0 || pad[i] > MAX_PAD) {
        throw ctx.error("pad must be in [0, " + MAX_PAD + "], found " + java.util.Arrays.toString(pad));
      }
    }
  }

  /** The output size of a convolution or pooling window along one axis (floor convention). */
  public static long window(OpContext ctx, String what, long in, int kernel, int stride, int pad, int dilation) {
    if (kernel < 1) {
      throw ctx.error(what + ": kernel must be >= 1, found " + kernel);
    }
    if (dilation < 1) {
      throw ctx.error(what + ": dilate must be >= 1, found " + dilation);
    }
    if (pad < 0 || pad > MAX_PAD) {
      throw ctx.error(what + ": pad must be in [0, " + MAX_PAD + "], found " + pad);
    }
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
  public static int[] expand(OpContext ctx, String key, int[] v, int n) {
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
