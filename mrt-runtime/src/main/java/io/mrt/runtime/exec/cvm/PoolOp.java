package io.mrt.runtime.exec.cvm;

import java.util.Arrays;

/**
 * max_pool2d (NCHW): padded taps count as INT32_MIN. One padding value applies to both sides and
 * both axes; two values are (top/bottom, left/right).
 */
final class PoolOp extends CvmOp {
  private static final Attrs.Schema SCHEMA = new Attrs.Schema().reqTuple("pool_size").tuple("strides", 1, 1)
      .tuple("padding", 0, 0).str("layout", "NCHW").bool("ceil_mode", false);

  PoolOp() {
    super("max_pool2d");
  }

  @Override
  Attrs.Schema schema() {
    return SCHEMA;
  }

  private static long[] pads(Attrs a) {
    long[] p = a.t("padding");
    return new long[] {p[0], p.length == 2 ? p[1] : p[0]};
  }

  @Override
  long[][] inferShape(Attrs a, long[][] in, NodeContext ctx) {
    long[] d = in[0];
    checkNdim(d, 4, "max_pool2d input", ctx);
    if (!"NCHW".equals(a.s("layout"))) {
      throw ctx.fail("max_pool2d layout must be NCHW, found " + a.s("layout"));
    }
    long[] k = a.t("pool_size");
    long[] s = a.t("strides");
    long[] p = a.t("padding");
    if (k.length != 2) {
      throw ctx.fail("pool_size must have 2 values, found " + str(k));
    }
    if (s.length != 2) {
      throw ctx.fail("strides must have 2 values, found " + str(s));
    }
    if (p.length != 1 && p.length != 2) {
      throw ctx.fail("padding must have 1 or 2 values, found " + str(p));
    }
    long[] pad = pads(a);
    long[] out = d.clone();
    for (int i = 0; i < 2; i++) {
      String ax = i == 0 ? "[0]" : "[1]";
      range(pad[i], "max_pool2d.padding" + ax, 0, 4096, ctx);
      range(s[i], "max_pool2d.strides" + ax, 1, 4096, ctx);
      long h = d[2 + i];
      range(k[i], "max_pool2d.pool_size" + ax, 0, h + 2 * pad[i], ctx);
      if (pad[i] >= k[i]) {
        throw ctx.fail("padding" + ax + " " + pad[i] + " must be less than pool_size" + ax + " " + k[i]);
      }
      long o;
      if (!a.b("ceil_mode")) {
        o = (h + 2 * pad[i] - k[i]) / s[i] + 1;
      } else {
        o = (h + 2 * pad[i] - k[i] + s[i] - 1) / s[i] + 1;
        if ((o - 1) * s[i] - pad[i] >= h) {
          throw ctx.fail("ceil_mode: the last pooling window of axis " + (2 + i) + " starts beyond the input");
        }
      }
      out[2 + i] = o;
    }
    return new long[][] {out};
  }

  @Override
  long gasBase(Attrs a, long[][] in, long[][] out) {
    return size(a.t("pool_size"));
  }

  @Override
  Kernel kernel(Attrs a, int[][] in, int[][] out, NodeContext ctx) {
    long[] k = a.t("pool_size");
    long[] s = a.t("strides");
    long[] pad = pads(a);
    int kh = (int) k[0];
    int kw = (int) k[1];
    int sh = (int) s[0];
    int sw = (int) s[1];
    int ph = (int) pad[0];
    int pw = (int) pad[1];
    int planes = in[0][0] * in[0][1];
    int h = in[0][2];
    int w = in[0][3];
    int oh = out[0][2];
    int ow = out[0][3];
    // output columns whose taps all lie inside the row: 0 <= q * sw - pw and q * sw - pw + kw - 1 < w;
    // they take the max without bounds checks (a loop the JIT vectorises when sw == 1)
    int qlo = Math.min(ow, (pw + sw - 1) / sw);
    int qhi = Math.max(qlo, w - kw + pw >= 0 ? Math.min(ow, (w - kw + pw) / sw + 1) : 0);
    return (x, y, rc) -> rc.parallelFor(planes, pl -> {
      int[] xv = x[0];
      int[] yv = y[0];
      int xo = pl * h * w;
      int yo = pl * oh * ow;
      for (int p = 0; p < oh; p++) {
        int yr = yo + p * ow;
        Arrays.fill(yv, yr, yr + ow, Integer.MIN_VALUE);
        for (int r = 0; r < kh; r++) {
          int tp = p * sh + r - ph;
          if (tp < 0 || tp >= h) {
            continue;
          }
          int row = xo + tp * w;
          for (int c = 0; c < kw; c++) {
            int b = row + c - pw;
            if (sw == 1) {
              for (int q = qlo; q < qhi; q++) {
                yv[yr + q] = Math.max(yv[yr + q], xv[b + q]);
              }
            } else {
              for (int q = qlo; q < qhi; q++) {
                yv[yr + q] = Math.max(yv[yr + q], xv[b + q * sw]);
              }
            }
            // the columns at the edges, whose windows reach into the padding
            for (int q = 0; q < qlo; q++) {
              edge(xv, yv, row, yr, q, q * sw + c - pw, w);
            }
            for (int q = qhi; q < ow; q++) {
              edge(xv, yv, row, yr, q, q * sw + c - pw, w);
            }
          }
        }
      }
    });
  }

  /** y[yr + q] = max(y[yr + q], x[row + tq]) when column tq lies inside the row (padding counts as INT32_MIN). */
  private static void edge(int[] xv, int[] yv, int row, int yr, int q, int tq, int w) {
    if (tq >= 0 && tq < w) {
      yv[yr + q] = Math.max(yv[yr + q], xv[row + tq]);
    }
  }
}
