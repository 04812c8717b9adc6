package io.mrt.runtime.exec.cvm;

/**
 * dense: y[m, u] = sum_k x[m, k] * w[u, k] (+ b[u]) in int32 arithmetic (no int8 cast). The
 * kernel splits the output into row blocks and unit blocks that run in parallel; each output value
 * is computed by one task, so the result does not depend on the number of threads.
 */
final class DenseOp extends CvmOp {
  private static final Attrs.Schema SCHEMA = new Attrs.Schema().reqInt("units").bool("use_bias", true);
  private static final int UNIT_BLOCK = 64;

  DenseOp() {
    super("dense");
  }

  @Override
  Attrs.Schema schema() {
    return SCHEMA;
  }

  @Override
  long[][] inferShape(Attrs a, long[][] in, NodeContext ctx) {
    if (a.i("units") < 1) {
      throw ctx.fail("attribute units must be >= 1, found " + a.i("units"));
    }
    checkNdim(in[0], 2, "dense data", ctx);
    checkNdim(in[1], 2, "dense weight", ctx);
    long units = a.i("units");
    checkEqual(new long[] {units, in[0][1]}, in[1], "dense weight [units, K]", ctx);
    if (a.b("use_bias")) {
      checkEqual(new long[] {units}, in[2], "dense bias [units]", ctx);
    }
    return new long[][] {{in[0][0], units}};
  }

  @Override
  void checkPrecision(Attrs a, int[] ip, NodeContext ctx) {
    if (ip[0] > rule().maxInputBits()) {
      throw ctx.fail("dense input must be INT8, found INT" + ip[0]);
    }
    if (ip[1] > rule().maxInputBits()) {
      throw ctx.fail("dense weight must be INT8, found INT" + ip[1]);
    }
  }

  @Override
  long gasBase(Attrs a, long[][] in, long[][] out) {
    return in[1][1] * 3 + (a.b("use_bias") ? 1 : 0);
  }

  @Override
  Kernel kernel(Attrs a, int[][] in, int[][] out, NodeContext ctx) {
    int m = in[0][0];
    int k = in[0][1];
    int u = in[1][0];
    boolean bias = a.b("use_bias");
    int ublocks = (u + UNIT_BLOCK - 1) / UNIT_BLOCK;
    return (x, y, rc) -> {
      int[] xv = x[0];
      int[] wv = x[1];
      int[] bv = bias ? x[2] : null;
      int[] yv = y[0];
      rc.parallelFor(m * ublocks, t -> {
        int row = t / ublocks;
        int u0 = (t % ublocks) * UNIT_BLOCK;
        int u1 = Math.min(u, u0 + UNIT_BLOCK);
        int xo = row * k;
        int j = u0;
        for (; j + 4 <= u1; j += 4) {
          int w0 = j * k;
          int w1 = w0 + k;
          int w2 = w1 + k;
          int w3 = w2 + k;
          int s0 = 0;
          int s1 = 0;
          int s2 = 0;
          int s3 = 0;
          for (int i = 0; i < k; i++) {
            int xi = xv[xo + i];
            s0 += xi * wv[w0 + i];
            s1 += xi * wv[w1 + i];
            s2 += xi * wv[w2 + i];
            s3 += xi * wv[w3 + i];
          }
          int yo = row * u + j;
          yv[yo] = s0 + (bias ? bv[j] : 0);
          yv[yo + 1] = s1 + (bias ? bv[j + 1] : 0);
          yv[yo + 2] = s2 + (bias ? bv[j + 2] : 0);
          yv[yo + 3] = s3 + (bias ? bv[j + 3] : 0);
        }
        for (; j < u1; j++) {
          int w0 = j * k;
          int s0 = 0;
          for (int i = 0; i < k; i++) {
            s0 += xv[xo + i] * wv[w0 + i];
          }
          yv[row * u + j] = s0 + (bias ? bv[j] : 0);
        }
      });
    };
  }
}
