package io.mrt.runtime.exec.cvm;

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
  int[] inferPrecision(Attrs a, int[] ip, long[][] in, long[][] out, NodeContext ctx) {
    return new int[] {ip[0]};
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
    return (x, y, rc) -> rc.parallelFor(planes, pl -> {
      int[] xv = x[0];
      int[] yv = y[0];
      int xo = pl * h * w;
      int yo = pl * oh * ow;
      for (int p = 0; p < oh; p++) {
        for (int q = 0; q < ow; q++) {
          int m = Integer.MIN_VALUE;
          for (int r = 0; r < kh; r++) {
            int tp = p * sh + r - ph;
            if (tp < 0 || tp >= h) {
              continue;
            }
            for (int c = 0; c < kw; c++) {
              int tq = q * sw + c - pw;
              if (tq >= 0 && tq < w) {
                m = Math.max(m, xv[xo + tp * w + tq]);
              }
            }
          }
          yv[yo + p * ow + q] = m;
        }
      }
    });
  }
}
