package io.mrt.runtime.exec.cvm;

import java.util.Arrays;

/**
 * Depthwise conv2d (one input and one output channel per group) as shifted multiply-adds, each
 * output the sum of the same products in the same tap order as the naive kernel, in int32: over
 * flat phase planes ({@link DepthwisePhases}) when that kernel takes the geometry, else in the
 * planes' own layout with padding masks (stride 1, an output of the input's size, small planes,
 * Vector API), else over the zero-padded planes of a channel's images stacked in one buffer and
 * split by the strides into phases. The fused {@link Epilogue} runs as {@link Passes} while the
 * output is in cache. Tasks write disjoint outputs (or, within one task, overwrite in order what
 * they stored past a plane), so the bits never depend on the thread count or on the Vector API.
 */
final class DepthwiseKernels {
  private final PackedKernels pk;
  private final boolean vector;
  /** Lanes per vector. */
  private final int lanes;

  DepthwiseKernels(PackedKernels pk) {
    this.pk = pk;
    this.vector = pk.vector();
    this.lanes = pk.lanes;
  }

  /** The kernel of a depthwise conv2d: data x[0], weights x[1], bias x[2] when {@code bias}; writes y[0]. */
  CvmOp.Kernel conv(ConvOp.Geometry g, boolean bias, Passes e) {
    DepthwisePhases ph = DepthwisePhases.of(g, pk);
    if (ph != null) {
      return (x, y, rc) -> ph.run(x[0], x[1], bias ? x[2] : null, e, y[0], rc);
    }
    if (vector && flat(g)) {
      Flat f = new Flat(g, lanes);
      return (x, y, rc) -> depthwiseFlat(g, f, x[0], x[1], bias ? x[2] : null, e, y[0], rc);
    }
    return (x, y, rc) -> depthwiseConv(g, x[0], x[1], bias ? x[2] : null, e, y[0], rc);
  }

  /** Largest plane (values) of the flat depthwise kernel. */
  private static final int FLAT_MAX = 1024;

  /** Whether a depthwise conv2d runs in its planes' flat layout: stride 1, output of the input's size, small planes. */
  static boolean flat(ConvOp.Geometry g) {
    return g.sh() == 1 && g.sw() == 1 && g.oh() == g.h() && g.ow() == g.w() && g.h() * g.w() <= FLAT_MAX;
  }

  /** The tap offsets and padding masks of the flat depthwise kernel (they depend on the geometry alone). */
  private static final class Flat {
    final int hw;
    final int nv;
    final int[] off;
    final int[] mask;
    final int minOff;
    final int maxOff;

    Flat(ConvOp.Geometry g, int lanes) {
      int h = g.h();
      int w = g.w();
      int taps = g.kh() * g.kw();
      hw = h * w;
      nv = (hw + lanes - 1) / lanes;
      off = new int[taps];
      mask = new int[nv * taps * lanes];
      int lo = 0;
      int hi = 0;
      for (int r = 0, t = 0; r < g.kh(); r++) {
        int dr = r * g.dh() - g.ph();
        for (int s = 0; s < g.kw(); s++, t++) {
          int ds = s * g.dw() - g.pw();
          off[t] = dr * w + ds;
          lo = Math.min(lo, off[t]);
          hi = Math.max(hi, off[t]);
          for (int i = 0; i < nv * lanes; i++) {
            int p = i / w;
            int q = i % w;
            boolean in = i < hw && p + dr >= 0 && p + dr < h && q + ds >= 0 && q + ds < w;
            mask[((i / lanes) * taps + t) * lanes + i % lanes] = in ? -1 : 0;
          }
        }
      }
      minOff = lo;
      maxOff = hi;
    }
  }

  /** Channels per task of the flat depthwise kernel. */
  private static final int FLAT_CHANNELS = 32;

  /**
   * Depthwise conv2d with stride 1 and an output of the input's size, plane by plane in the planes'
   * own layout (no padded copy): each output vector is the bias plus, per tap, the input shifted by
   * the tap's offset times the weight, masked to zero where the tap falls in the padding. One task
   * per image and run of channels, written in order, so the whole last vector of a plane may be
   * stored (its values past the plane land on the next plane, written after it); the chunk's last
   * plane, and a plane whose shifted reads would leave x, go through a small buffer. The passes then
   * run once over the chunk's contiguous output.
   */
  private void depthwiseFlat(ConvOp.Geometry g, Flat f, int[] x, int[] w, int[] b, Passes e, int[] y,
      RunContext rc) {
    int c = g.c();
    int taps = g.kh() * g.kw();
    int chunks = (c + FLAT_CHANNELS - 1) / FLAT_CHANNELS;
    int hw = f.hw;
    rc.parallelFor(g.n() * chunks, task -> {
      int n = task / chunks;
      int c0 = task % chunks * FLAT_CHANNELS;
      int c1 = Math.min(c, c0 + FLAT_CHANNELS);
      int[][] bufs = PLANE.get();
      if (bufs[1].length < Math.max(lanes, hw + lanes)) {
        bufs[1] = new int[hw + lanes];
      }
      int[] tmp = bufs[1];
      for (int ch = c0; ch < c1; ch++) {
        int o = (n * c + ch) * hw;
        int bv = b == null ? 0 : b[ch];
        int lastBase = (f.nv - 1) * lanes;
        if (o + f.minOff >= 0 && o + lastBase + f.maxOff + lanes <= x.length) {
          boolean own = ch == c1 - 1 || o + f.nv * lanes > y.length;
          VectorKernels.planeFlat(x, o, y, o, w, ch * taps, bv, f.mask, f.off, taps, f.nv, own ? tmp : null);
          if (own) {
            System.arraycopy(tmp, 0, y, o + lastBase, hw - lastBase);
          }
        } else {
          planeScalar(g, x, o, y, o, w, ch * taps, bv);
        }
      }
      int lo = (n * c + c0) * hw;
      pk.epilogue(e, y, lo, 0, y, lo, (c1 - c0) * hw);
    });
  }

  /** One depthwise plane (stride 1, output of the input's size) with bounds checks, bias added. */
  private static void planeScalar(ConvOp.Geometry g, int[] x, int xo, int[] y, int yo, int[] w, int wo, int bias) {
    int h = g.h();
    int wd = g.w();
    for (int p = 0; p < h; p++) {
      for (int q = 0; q < wd; q++) {
        int a = bias;
        for (int r = 0, t = 0; r < g.kh(); r++) {
          int ih = p + r * g.dh() - g.ph();
          for (int s = 0; s < g.kw(); s++, t++) {
            int iw = q + s * g.dw() - g.pw();
            if (ih >= 0 && ih < h && iw >= 0 && iw < wd) {
              a += w[wo + t] * x[xo + ih * wd + iw];
            }
          }
        }
        y[yo + p * wd + q] = a;
      }
    }
  }

  private static final ThreadLocal<int[][]> PLANE = ThreadLocal.withInitial(() -> new int[3][0]);

  /** Ints of padded planes per depthwise task (images of one channel are stacked up to this size). */
  private static final int DW_STACK = 1 << 14;

  /**
   * Depthwise conv2d, one task per channel and group of images. The zero-padded planes of the
   * group's images are stacked image after image, split by the strides into phases: padded row
   * p*sh+r and column q*sw+u become row p, column q of phase (r, u), at (r * sw + u) * stride. Tap
   * (ky, kx) then reads phase (ky*dh % sh, kx*dw % sw) from row ky*dh/sh, column kx*dw/sw, so every
   * tap is one contiguous multiply-add over the whole stack laid out with the phase width wq, all
   * images sharing the channel's weight vectors, and output (p, q) of image i is at
   * i * phase + p * wq + q. The values between (rows and columns past an output plane) are computed
   * and never written out. Each output is the sum of the same products in the same tap order as the
   * naive kernel, in int32.
   */
  private void depthwiseConv(ConvOp.Geometry g, int[] x, int[] w, int[] b, Passes e, int[] y, RunContext rc) {
    int c = g.c();
    int sh = g.sh();
    int sw = g.sw();
    int hq = (g.h() + 2 * g.ph() + sh - 1) / sh;
    int wq = (g.w() + 2 * g.pw() + sw - 1) / sw;
    int phase = hq * wq;
    int oh = g.oh();
    int ow = g.ow();
    int taps = g.kh() * g.kw();
    int phases = sh * sw;
    int imgs = Math.max(1, Math.min(g.n(), DW_STACK / (phases * phase)));
    int groups = (g.n() + imgs - 1) / imgs;
    int stride = imgs * phase;
    // slack: the last tap reads up to (kw-1)*dw columns past the last phase row, and the vectors of
    // the last group are computed whole (up to lanes - 1 values past the end)
    int planeSize = phases * stride + wq + g.kw() * g.dw() + lanes;
    // tap t = (r, s) reads phase (r*dh % sh, s*dw % sw) from row r*dh/sh, column s*dw/sw
    int[] src = new int[taps];
    for (int r = 0, t = 0; r < g.kh(); r++) {
      int ro = r * g.dh();
      for (int s = 0; s < g.kw(); s++, t++) {
        int so = s * g.dw();
        src[t] = ((ro % sh) * sw + so % sw) * stride + (ro / sh) * wq + so / sw;
      }
    }
    rc.parallelFor(c * groups, task -> {
      int ch = task / groups;
      int n0 = task % groups * imgs;
      int cnt = Math.min(imgs, g.n() - n0);
      int accSize = ((cnt - 1) * phase + oh * wq + lanes - 1) / lanes * lanes;
      int[][] bufs = PLANE.get();
      if (bufs[0].length < planeSize) {
        bufs[0] = new int[planeSize];
      }
      if (bufs[1].length < accSize) {
        bufs[1] = new int[accSize];
      }
      int[] pl = bufs[0];
      int[] acc = bufs[1];
      Arrays.fill(pl, 0, planeSize, 0);
      for (int i = 0; i < cnt; i++) {
        int xBase = ((n0 + i) * c + ch) * g.h() * g.w();
        if (sw == 1) {
          fillPlane(g, x, xBase, pl, i * phase, stride, wq);
        } else if (vector && sw == 2 && g.w() % 2 == 0) {
          fillHalves(g, x, xBase, pl, i * phase, stride, wq, bufs);
        } else {
          fillPhases(g, x, xBase, pl, i * phase, stride, wq);
        }
      }
      if (vector) {
        VectorKernels.taps(acc, accSize, w, ch * taps, src, taps, pl);
      } else {
        Arrays.fill(acc, 0, accSize, 0);
        for (int t = 0; t < taps; t++) {
          pk.axpy(acc, accSize, w[ch * taps + t], pl, src[t]);
        }
      }
      int bv = b == null ? 0 : b[ch];
      pk.epilogue(e, acc, 0, bv, acc, 0, accSize);
      for (int i = 0; i < cnt; i++) {
        int yBase = ((n0 + i) * c + ch) * oh * ow;
        if (vector) {
          VectorKernels.copyRows(acc, i * phase, wq, y, yBase, ow, oh);
        } else {
          copyRows(acc, i * phase, wq, y, yBase, ow, oh);
        }
      }
    });
  }

  /**
   * {@link #fillPhases} for a horizontal stride of 2 and an even width: the whole plane is split
   * into its even and odd values with vector shuffles (row i's even columns are then the run at
   * i * w / 2 of the even values), and each row's two runs are copied to their phases.
   */
  private static void fillHalves(ConvOp.Geometry g, int[] x, int xBase, int[] pl, int dst, int stride, int wq,
      int[][] bufs) {
    int h = g.h();
    int wd = g.w();
    int sh = g.sh();
    int pw = g.pw();
    int half = wd / 2;
    int n = h * wd;
    if (bufs[2].length < n) {
      bufs[2] = new int[n];
    }
    int[] t = bufs[2];
    int[] od = PLANE_ODD.get();
    if (od.length < n / 2) {
      od = new int[n / 2];
      PLANE_ODD.set(od);
    }
    VectorKernels.deinterleave(x, xBase, n, t, od);
    // input column 2k goes to padded column 2k + pw: phase pw % 2, column k + pw / 2; column 2k + 1
    // to phase (pw + 1) % 2, column k + (pw + 1) / 2
    int e0 = (pw % 2) * stride + pw / 2;
    int o0 = ((pw + 1) % 2) * stride + (pw + 1) / 2;
    for (int i = 0; i < h; i++) {
      int row = i + g.ph();
      int rowBase = dst + (row % sh) * 2 * stride + (row / sh) * wq;
      System.arraycopy(t, i * half, pl, rowBase + e0, half);
      System.arraycopy(od, i * half, pl, rowBase + o0, half);
    }
  }

  private static final ThreadLocal<int[]> PLANE_ODD = ThreadLocal.withInitial(() -> new int[0]);

  /**
   * Writes one input plane (at x[xBase]) into its row and column phases (phase (r, u) at
   * dst + (r * sw + u) * stride, padded row p*sh+r and column q*sw+u at row p, column q of width wq),
   * for a horizontal stride above 1: each input row goes out as sw runs of every sw-th value. The
   * pads are the zeros the caller cleared.
   */
  private static void fillPhases(ConvOp.Geometry g, int[] x, int xBase, int[] pl, int dst, int stride, int wq) {
    int h = g.h();
    int wd = g.w();
    int sh = g.sh();
    int sw = g.sw();
    int pw = g.pw();
    for (int i = 0; i < h; i++) {
      int row = i + g.ph();
      int rowBase = dst + (row % sh) * sw * stride + (row / sh) * wq;
      int xRow = xBase + i * wd;
      for (int u = 0; u < sw; u++) {
        // input columns j with (j + pw) % sw == u, from the first one
        int j0 = Math.floorMod(u - pw, sw);
        int d = rowBase + u * stride + (j0 + pw) / sw;
        for (int j = j0; j < wd; j += sw) {
          pl[d++] = x[xRow + j];
        }
      }
    }
  }

  /** Writes one input plane (at x[xBase]) into its row phases (phase r at dst + r * stride), padded. */
  private void fillPlane(ConvOp.Geometry g, int[] x, int xBase, int[] pl, int dst, int stride, int wq) {
    int h = g.h();
    int wd = g.w();
    int sh = g.sh();
    int pw = g.pw();
    int phase = (h + 2 * g.ph() + sh - 1) / sh * wq;
    boolean over = vector && wd < lanes;
    for (int i = 0; i < h; i++) {
      int row = i + g.ph();
      int d = dst + (row % sh) * stride + (row / sh) * wq + pw;
      int xRow = xBase + i * wd;
      if (!vector) {
        copyRow(x, xRow, pl, d, wd);
      } else if (!over) {
        VectorKernels.copyIn(x, xRow, pl, d, wd);
      } else if (d + lanes <= dst + (row % sh) * stride + phase && xRow + lanes <= x.length) {
        // a row shorter than a vector, stored whole inside this image's phase: the values past
        // the row land on later rows (written after it) or on pads (cleared below)
        VectorKernels.copyIn(x, xRow, pl, d, lanes);
      } else {
        copyRow(x, xRow, pl, d, wd);
      }
    }
    if (over) {
      for (int i = 0; i < h; i++) {
        int row = i + g.ph();
        int d = dst + (row % sh) * stride + (row / sh) * wq + pw;
        int end = i + sh < h ? d + wq : Math.min(d + lanes, dst + (row % sh) * stride + phase);
        for (int j = d + wd; j < end; j++) {
          pl[j] = 0;
        }
      }
    }
  }

  /** Copies rows of {@code len} values from stride {@code from} to stride {@code len}. */
  private static void copyRows(int[] a, int ao, int from, int[] y, int yo, int len, int rows) {
    for (int p = 0; p < rows; p++) {
      copyRow(a, ao + p * from, y, yo + p * len, len);
    }
  }

  private static void copyRow(int[] a, int ao, int[] y, int yo, int len) {
    if (len >= 32) {
      System.arraycopy(a, ao, y, yo, len);
    } else {
      for (int j = 0; j < len; j++) {
        y[yo + j] = a[ao + j];
      }
    }
  }
}
