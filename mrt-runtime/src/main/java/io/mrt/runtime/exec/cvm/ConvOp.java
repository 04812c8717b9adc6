package io.mrt.runtime.exec.cvm;

/**
 * conv2d (NCHW data, OIHW weight, zero padding, strides, dilation, groups).
 *
 * <p>groups == 1: as in the reference runtime, input and weight values are narrowed with
 * {@code (byte)} (C++ {@code static_cast<int8_t>}) and multiplied in int32. The blocked kernel
 * (default) splits every image into tiles of output positions; a task builds the im2col tile of
 * its positions (one row of C*kh*kw taps per position) and takes dot products with the weight rows,
 * four output channels at a time (an int32 GEMM whose inner loop the JIT vectorises). Tasks run in parallel and write disjoint outputs, and int32
 * accumulation is exact modulo 2^32, so the result is the same for any thread count and equal to
 * the naive loop ({@link CvmExecutor.ConvKernel#NAIVE}).
 *
 * <p>groups &gt; 1: a direct int32 loop without the int8 cast, parallel over (image, channel);
 * output channel oc reads input channels [oc / (O/g) * (C/g), + C/g).
 */
final class ConvOp extends CvmOp {
  private static final Attrs.Schema SCHEMA = new Attrs.Schema().reqInt("channels").reqTuple("kernel_size")
      .tuple("strides", 1, 1).tuple("padding", 0, 0).tuple("dilation", 1, 1).optInt("groups", 1)
      .str("layout", "NCHW").str("kernel_layout", "OIHW").str("out_layout", "__undef__")
      .dtype("out_dtype", "same").bool("use_bias", true);
  /** Output positions per task of the blocked kernel. */
  static final int TILE = 64;

  ConvOp() {
    super("conv2d");
  }

  @Override
  Attrs.Schema schema() {
    return SCHEMA;
  }

  @Override
  long[][] inferShape(Attrs a, long[][] in, NodeContext ctx) {
    if (!"NCHW".equals(a.s("layout"))) {
      throw ctx.fail("conv2d only supports layout NCHW, found " + a.s("layout"));
    }
    if (!"OIHW".equals(a.s("kernel_layout"))) {
      throw ctx.fail("conv2d only supports kernel_layout OIHW, found " + a.s("kernel_layout"));
    }
    if (!"__undef__".equals(a.s("out_layout")) && !"NCHW".equals(a.s("out_layout"))) {
      throw ctx.fail("conv2d only supports out_layout NCHW, found " + a.s("out_layout"));
    }
    long[] d = in[0];
    checkNdim(d, 4, "conv2d data", ctx);
    long[] k = a.t("kernel_size");
    long[] s = a.t("strides");
    long[] p = a.t("padding");
    long[] dl = a.t("dilation");
    for (Object[] t : new Object[][] {{"kernel_size", k}, {"padding", p}, {"strides", s}, {"dilation", dl}}) {
      if (((long[]) t[1]).length != 2) {
        throw ctx.fail("attribute " + t[0] + " must have 2 values, found " + str((long[]) t[1]));
      }
    }
    for (int i = 0; i < 2; i++) {
      range(p[i], "conv2d.padding[" + i + "]", 0, 4096, ctx);
      range(s[i], "conv2d.strides[" + i + "]", 1, 4096, ctx);
      range(dl[i], "conv2d.dilation[" + i + "]", 1, 4096, ctx);
    }
    long g = a.i("groups");
    long ch = a.i("channels");
    if (g <= 0 || d[1] % g != 0 || ch % g != 0) {
      throw ctx.fail("groups " + g + " must be > 0 and divide the input channels " + d[1] + " and channels " + ch);
    }
    checkNdim(in[1], 4, "conv2d weight", ctx);
    checkEqual(new long[] {ch, d[1] / g, k[0], k[1]}, in[1], "conv2d weight [channels, C/groups, kh, kw]", ctx);
    if (a.b("use_bias")) {
      checkEqual(new long[] {ch}, in[2], "conv2d bias [channels]", ctx);
    }
    long dkh = 1 + (k[0] - 1) * dl[0];
    long dkw = 1 + (k[1] - 1) * dl[1];
    if (dkh > d[2] + 2 * p[0] || dkw > d[3] + 2 * p[1]) {
      throw ctx.fail("dilated kernel " + dkh + "x" + dkw + " exceeds the padded input " + (d[2] + 2 * p[0]) + "x"
          + (d[3] + 2 * p[1]));
    }
    long oh = (d[2] + 2 * p[0] - dkh) / s[0] + 1;
    long ow = (d[3] + 2 * p[1] - dkw) / s[1] + 1;
    return new long[][] {{d[0], ch, oh, ow}};
  }

  @Override
  void checkPrecision(Attrs a, int[] ip, NodeContext ctx) {
    if (ip[0] > rule().maxInputBits()) {
      throw ctx.fail("conv2d input must be INT8, found INT" + ip[0]);
    }
    if (ip[1] > rule().maxInputBits()) {
      throw ctx.fail("conv2d weight must be INT8, found INT" + ip[1]);
    }
  }

  @Override
  long gasBase(Attrs a, long[][] in, long[][] out) {
    return size(in[1]) / in[1][0] * 3 + (a.b("use_bias") ? 1 : 0);
  }

  /** The geometry of one conv2d node. */
  record Geometry(int n, int c, int h, int w, int o, int kh, int kw, int oh, int ow, int sh, int sw, int ph,
      int pw, int dh, int dw, int groups) {
    int k() {
      return c / groups * kh * kw;
    }

    int positions() {
      return oh * ow;
    }
  }

  static Geometry geometry(Attrs a, int[][] in, int[][] out) {
    long[] s = a.t("strides");
    long[] p = a.t("padding");
    long[] dl = a.t("dilation");
    return new Geometry(in[0][0], in[0][1], in[0][2], in[0][3], in[1][0], in[1][2], in[1][3], out[0][2],
        out[0][3], (int) s[0], (int) s[1], (int) p[0], (int) p[1], (int) dl[0], (int) dl[1], a.i("groups"));
  }

  @Override
  Kernel kernel(Attrs a, int[][] in, int[][] out, NodeContext ctx) {
    Geometry g = geometry(a, in, out);
    boolean bias = a.b("use_bias");
    if (g.groups() > 1) {
      return (x, y, rc) -> grouped(g, x[0], x[1], bias ? x[2] : null, y[0], rc);
    }
    return (x, y, rc) -> {
      if (rc.convKernel() == CvmExecutor.ConvKernel.NAIVE) {
        naive(g, x[0], x[1], bias ? x[2] : null, y[0]);
      } else {
        blocked(g, x[0], x[1], bias ? x[2] : null, y[0], rc);
      }
    };
  }

  /** The reference semantics as a plain loop (groups == 1): int8 casts, int32 sums, single thread. */
  static void naive(Geometry g, int[] x, int[] w, int[] b, int[] y) {
    int k = g.k();
    for (int n = 0; n < g.n(); n++) {
      for (int o = 0; o < g.o(); o++) {
        for (int p = 0; p < g.oh(); p++) {
          for (int q = 0; q < g.ow(); q++) {
            int sum = 0;
            for (int c = 0; c < g.c(); c++) {
              for (int r = 0; r < g.kh(); r++) {
                int ih = p * g.sh() - g.ph() + r * g.dh();
                if (ih < 0 || ih >= g.h()) {
                  continue;
                }
                for (int s = 0; s < g.kw(); s++) {
                  int iw = q * g.sw() - g.pw() + s * g.dw();
                  if (iw < 0 || iw >= g.w()) {
                    continue;
                  }
                  int xv = (byte) x[((n * g.c() + c) * g.h() + ih) * g.w() + iw];
                  int wv = (byte) w[o * k + (c * g.kh() + r) * g.kw() + s];
                  sum += xv * wv;
                }
              }
            }
            y[((n * g.o() + o) * g.oh() + p) * g.ow() + q] = sum + (b == null ? 0 : b[o]);
          }
        }
      }
    }
  }

  private static final ThreadLocal<int[][]> SCRATCH = ThreadLocal.withInitial(() -> new int[1][0]);

  /**
   * im2col tiles times the int8-narrowed weights: each task takes one image and up to {@link #TILE}
   * output positions, lays their input patches out as rows of length K = C*kh*kw, and computes each
   * output as a dot product of a weight row and a patch row, four output channels at a time (loops the
   * JIT vectorises). Tasks run in parallel and write disjoint outputs.
   */
  static void blocked(Geometry g, int[] x, int[] w, int[] b, int[] y, RunContext rc) {
    int k = g.k();
    int m = g.o();
    int[] wq = new int[m * k];
    for (int i = 0; i < wq.length; i++) {
      wq[i] = (byte) w[i];
    }
    int positions = g.positions();
    int tiles = (positions + TILE - 1) / TILE;
    rc.parallelFor(g.n() * tiles, task -> {
      int n = task / tiles;
      int p0 = (task % tiles) * TILE;
      int t = Math.min(TILE, positions - p0);
      int[][] holder = SCRATCH.get();
      if (holder[0].length < k * t) {
        holder[0] = new int[k * TILE];
      }
      int[] col = holder[0];
      im2col(g, x, n, p0, t, col);
      int yBase = n * m * positions + p0;
      int o = 0;
      for (; o + 4 <= m; o += 4) {
        int w0 = o * k;
        int w1 = w0 + k;
        int w2 = w1 + k;
        int w3 = w2 + k;
        int y0 = yBase + o * positions;
        for (int j = 0; j < t; j++) {
          int c0 = j * k;
          int s0 = 0;
          int s1 = 0;
          int s2 = 0;
          int s3 = 0;
          for (int kk = 0; kk < k; kk++) {
            int c = col[c0 + kk];
            s0 += wq[w0 + kk] * c;
            s1 += wq[w1 + kk] * c;
            s2 += wq[w2 + kk] * c;
            s3 += wq[w3 + kk] * c;
          }
          y[y0 + j] = s0 + (b == null ? 0 : b[o]);
          y[y0 + positions + j] = s1 + (b == null ? 0 : b[o + 1]);
          y[y0 + 2 * positions + j] = s2 + (b == null ? 0 : b[o + 2]);
          y[y0 + 3 * positions + j] = s3 + (b == null ? 0 : b[o + 3]);
        }
      }
      for (; o < m; o++) {
        int w0 = o * k;
        int y0 = yBase + o * positions;
        for (int j = 0; j < t; j++) {
          int c0 = j * k;
          int s0 = 0;
          for (int kk = 0; kk < k; kk++) {
            s0 += wq[w0 + kk] * col[c0 + kk];
          }
          y[y0 + j] = s0 + (b == null ? 0 : b[o]);
        }
      }
    });
  }

  /** Fills col[j * K + kk] with the int8-narrowed input tap kk of output position p0 + j (0 in the padding). */
  private static void im2col(Geometry g, int[] x, int n, int p0, int t, int[] col) {
    int chw = g.h() * g.w();
    int xBase = n * g.c() * chw;
    int k = g.k();
    int p = p0 / g.ow();
    int q = p0 % g.ow();
    for (int j = 0; j < t; j++) {
      int row = j * k;
      int kk = 0;
      for (int c = 0; c < g.c(); c++) {
        int xc = xBase + c * chw;
        for (int r = 0; r < g.kh(); r++) {
          int ih = p * g.sh() - g.ph() + r * g.dh();
          boolean rowIn = ih >= 0 && ih < g.h();
          for (int s = 0; s < g.kw(); s++, kk++) {
            int iw = q * g.sw() - g.pw() + s * g.dw();
            col[row + kk] = rowIn && iw >= 0 && iw < g.w() ? (byte) x[xc + ih * g.w() + iw] : 0;
          }
        }
      }
      if (++q == g.ow()) {
        q = 0;
        p++;
      }
    }
  }

  /** groups &gt; 1: direct int32 loop (no int8 cast), parallel over (image, output channel). */
  static void grouped(Geometry g, int[] x, int[] w, int[] b, int[] y, RunContext rc) {
    int opg = g.o() / g.groups();
    int ipg = g.c() / g.groups();
    int fsz = ipg * g.kh() * g.kw();
    rc.parallelFor(g.n() * g.o(), task -> {
      int n = task / g.o();
      int oc = task % g.o();
      int ic0 = oc / opg * ipg;
      for (int p = 0; p < g.oh(); p++) {
        for (int q = 0; q < g.ow(); q++) {
          int sum = 0;
          for (int tc = 0; tc < ipg; tc++) {
            for (int r = 0; r < g.kh(); r++) {
              int ih = p * g.sh() + r * g.dh() - g.ph();
              if (ih < 0 || ih >= g.h()) {
                continue;
              }
              for (int s = 0; s < g.kw(); s++) {
                int iw = q * g.sw() + s * g.dw() - g.pw();
                if (iw < 0 || iw >= g.w()) {
                  continue;
                }
                sum += x[((n * g.c() + ic0 + tc) * g.h() + ih) * g.w() + iw]
                    * w[oc * fsz + (tc * g.kh() + r) * g.kw() + s];
              }
            }
          }
          y[((n * g.o() + oc) * g.oh() + p) * g.ow() + q] = sum + (b == null ? 0 : b[oc]);
        }
      }
    });
  }
}
