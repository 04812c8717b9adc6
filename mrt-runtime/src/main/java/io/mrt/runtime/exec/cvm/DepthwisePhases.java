package io.mrt.runtime.exec.cvm;

/**
 * Depthwise conv2d (Vector API) over flat phase planes, for any stride when every input column
 * lands on a phase column below the output width. The input plane is split by the strides into
 * phases: input row i and column j go to row i / sh, column j / sw of phase (i % sh, j % sw), each
 * phase a flat plane of row stride ow (the output's width). Tap (r, s) then reads phase
 * (floorMod(r*dh - ph, sh), floorMod(s*dw - pw, sw)) at output position (p, q) shifted by
 * (floorDiv(r*dh - ph, sh), floorDiv(s*dw - pw, sw)) rows and columns, so every tap of a vector of
 * consecutive outputs (in the output's own flat layout) is one contiguous load. Taps that fall
 * outside the input (its padding, or phase rows and columns past it) are zeroed by a mask, folded
 * into the weight: x * (w &amp; m) is x * w where m is -1 and 0 where it is 0, whatever x holds, so
 * the phase planes are never cleared. With stride 1 and an output as wide as the input the phase is
 * the input plane itself and nothing is copied.
 *
 * <p>Work runs channel by channel, and within a channel vector by vector over all images, so a
 * vector's masked weights stay in registers across the images. The bias and the usual tails (see
 * {@link #tail}) are applied in registers before the store; other tails run as {@link Passes} over
 * each finished plane. Each output is the bias plus the same products as the naive kernel, summed
 * in int32 (wrapping addition is associative, so the order does not change a bit). Tasks own runs
 * of channels: the last vector of a plane is stored whole (its values past the plane land on the
 * next channel's plane, written later by the same task) except for the task's last channel, whose
 * last vectors go through a buffer; so the bits never depend on the thread count.
 */
final class DepthwisePhases {
  /** Largest output plane (values) this kernel takes. */
  private static final int MAX_PLANE = 1024;
  /** Most taps (kh * kw) this kernel takes. */
  private static final int MAX_TAPS = 25;
  /**
   * Fewest images this kernel takes: a channel's masked weights are made once and serve every
   * image, which on one or two images costs as much as the taps (MobileNetV2-CIFAR at batch 1:
   * depthwise steps up to 2x as long as the planes' own kernels; at batch 2 the whole net 1.07x;
   * at batch 4 0.91x).
   */
  private static final int MIN_IMAGES = 4;
  /** Channels per task. */
  private static final int CHANNELS = 8;
  /** Ints of phase planes per group of images (the group's planes stay in L1). */
  private static final int GROUP_INTS = 4096;

  private final ConvOp.Geometry g;
  private final PackedKernels pk;
  private final int lanes;
  private final boolean direct;
  private final int taps;
  private final int ohw;
  private final int nv;
  /** mask[(v * taps + t) * lanes + j]: -1 where output v * lanes + j exists and its tap t lies inside the input, else 0. */
  private final int[] mask;
  /** Where tap t reads, relative to output 0 of an image's phase block (direct: of its input plane). */
  private final int[] off;
  private final int minOff;
  private final int maxOff;
  /** Ints per phase (phased), ints of one image's phases, images per group. */
  private final int region;
  private final int block;
  private final int group;
  /** Values {@link VectorKernels#deinterleaveRow} reads from a row's start: whole vectors. */
  private final int splitRead;

  private DepthwisePhases(ConvOp.Geometry g, PackedKernels pk) {
    this.g = g;
    this.pk = pk;
    this.lanes = pk.lanes;
    int sh = g.sh();
    int sw = g.sw();
    int ow = g.ow();
    direct = sh == 1 && sw == 1 && ow == g.w();
    taps = g.kh() * g.kw();
    ohw = g.oh() * ow;
    nv = (ohw + lanes - 1) / lanes;
    int hq = (g.h() + sh - 1) / sh;
    int stride = direct ? g.w() : ow;
    int[] rel = new int[taps];
    int[] phase = new int[taps];
    int lo = 0;
    int hi = 0;
    mask = new int[nv * taps * lanes];
    for (int r = 0, t = 0; r < g.kh(); r++) {
      int ro = r * g.dh() - g.ph();
      for (int s = 0; s < g.kw(); s++, t++) {
        int so = s * g.dw() - g.pw();
        phase[t] = Math.floorMod(ro, sh) * sw + Math.floorMod(so, sw);
        rel[t] = Math.floorDiv(ro, sh) * stride + Math.floorDiv(so, sw);
        lo = Math.min(lo, rel[t]);
        hi = Math.max(hi, rel[t]);
        for (int i = 0; i < nv * lanes; i++) {
          int ih = i / ow * sh + ro;
          int iw = i % ow * sw + so;
          boolean in = i < ohw && ih >= 0 && ih < g.h() && iw >= 0 && iw < g.w();
          mask[((i / lanes) * taps + t) * lanes + i % lanes] = in ? -1 : 0;
        }
      }
    }
    // a phase: -lo values before its row 0; its rows (the row copies store up to a vector past a
    // row); and the reads of the last vector past the plane
    region = -lo + Math.max(hq * ow + lanes, nv * lanes + hi);
    off = new int[taps];
    for (int t = 0; t < taps; t++) {
      off[t] = direct ? rel[t] : phase[t] * region + rel[t];
    }
    minOff = lo;
    maxOff = hi;
    block = sh * sw * region;
    splitRead = (g.w() + lanes - 1) / lanes * lanes;
    group = direct ? g.n() : Math.max(1, Math.min(g.n(), GROUP_INTS / block));
  }

  /** This kernel for a depthwise conv2d, or null when it does not take the geometry (or without the Vector API). */
  static DepthwisePhases of(ConvOp.Geometry g, PackedKernels pk) {
    if (!pk.vector() || g.n() < MIN_IMAGES || g.kh() * g.kw() > MAX_TAPS || (long) g.oh() * g.ow() > MAX_PLANE
        || (g.w() + g.sw() - 1) / g.sw() > g.ow() || g.oh() < 1 || g.ow() < 1) {
      return null;
    }
    return new DepthwisePhases(g, pk);
  }

  /** Writes y = the depthwise conv2d of x (weights w, bias b or null) with the passes e applied. */
  void run(int[] x, int[] w, int[] b, Passes e, int[] y, RunContext rc) {
    int c = g.c();
    int chunks = (c + CHANNELS - 1) / CHANNELS;
    int[] tail = tail(e);
    int kind = tail[0];
    rc.parallelFor(chunks, task -> {
      int c0 = task * CHANNELS;
      int c1 = Math.min(c, c0 + CHANNELS);
      Scratch sc = SCRATCH.get();
      sc.ensure(direct ? 0 : group * block, nv * taps * lanes, lanes, g.n());
      int[] src = direct ? x : sc.phases;
      for (int ch = c0; ch < c1; ch++) {
        int bias = b == null ? 0 : b[ch];
        VectorKernels.maskWeights(w, ch * taps, taps, mask, nv * taps, sc.wm);
        for (int n0 = 0; n0 < g.n(); n0 += group) {
          int n1 = Math.min(g.n(), n0 + group);
          if (!direct) {
            for (int n = n0; n < n1; n++) {
              split(x, (n * c + ch) * g.h() * g.w(), sc.phases, (n - n0) * block - minOff);
            }
          }
          for (int v = 0; v < nv; v++) {
            int cnt = 0;
            boolean last = v == nv - 1;
            for (int n = n0; n < n1; n++) {
              int yo = (n * c + ch) * ohw + v * lanes;
              boolean own = last && (ch == c1 - 1 || yo + lanes > y.length);
              int xo;
              if (direct) {
                xo = (n * c + ch) * ohw + v * lanes;
                if (xo + minOff < 0 || xo + lanes + maxOff > x.length) {
                  scalarVector(x, w, n, ch, bias, v, kind < 0 ? null : e, y);
                  continue;
                }
              } else {
                xo = (n - n0) * block - minOff + v * lanes;
              }
              if (own) {
                // stored whole into a buffer, and only the plane's values copied out
                sc.xo[g.n()] = xo;
                sc.yo[g.n()] = 0;
                VectorKernels.depthwiseVectors(src, sc.xo, g.n(), 1, off, taps, sc.wm, v * taps * lanes, bias, tail,
                    sc.last, sc.yo);
                System.arraycopy(sc.last, 0, y, yo, ohw - v * lanes);
                continue;
              }
              sc.xo[cnt] = xo;
              sc.yo[cnt] = yo;
              cnt++;
            }
            VectorKernels.depthwiseVectors(src, sc.xo, 0, cnt, off, taps, sc.wm, v * taps * lanes, bias, tail, y,
                sc.yo);
          }
        }
        if (kind < 0) {
          for (int n = 0; n < g.n(); n++) {
            int yo = (n * c + ch) * ohw;
            pk.epilogue(e, y, yo, 0, y, yo, ohw);
          }
        }
      }
    });
  }

  /**
   * The tail {@link VectorKernels#depthwiseVectors} applies in registers: {kind, lo, hi, s, m, lo2,
   * hi2, s2} for no pass (kind 0), one clamp (1), one saturating shift (2), or with a 3x3 window a
   * clamp, a multiplication and a saturating shift (3: a residual branch's scale); kind -1 for
   * other passes, which then run over each finished plane.
   */
  int[] tail(Passes e) {
    int[] k = e.kind;
    int[] t = new int[8];
    if (k.length == 1 && (k[0] == Epilogue.CLAMP || k[0] == Epilogue.SHIFT_SAT)) {
      t[0] = k[0] == Epilogue.CLAMP ? 1 : 2;
      t[1] = e.a[0];
      t[2] = e.b[0];
      t[3] = e.s[0];
    } else if (g.kh() * g.kw() == 9 && k.length == 3 && k[0] == Epilogue.CLAMP && k[1] == Epilogue.MUL
        && k[2] == Epilogue.SHIFT_SAT) {
      t[0] = 3;
      t[1] = e.a[0];
      t[2] = e.b[0];
      t[4] = e.a[1];
      t[5] = e.a[2];
      t[6] = e.b[2];
      t[7] = e.s[2];
    } else if (k.length > 0) {
      t[0] = -1;
    }
    return t;
  }

  /**
   * Outputs v * lanes .. of plane (n, ch) one by one from x with bounds checks: the bias plus the
   * taps inside the input, with e applied when given (else stored as they are).
   */
  private void scalarVector(int[] x, int[] w, int n, int ch, int bias, int v, Passes e, int[] y) {
    int ow = g.ow();
    int xb = (n * g.c() + ch) * g.h() * g.w();
    int yb = (n * g.c() + ch) * ohw;
    for (int i = v * lanes; i < Math.min(ohw, (v + 1) * lanes); i++) {
      int p = i / ow;
      int q = i % ow;
      int a = bias;
      for (int r = 0, t = 0; r < g.kh(); r++) {
        int ih = p * g.sh() + r * g.dh() - g.ph();
        for (int s = 0; s < g.kw(); s++, t++) {
          int iw = q * g.sw() + s * g.dw() - g.pw();
          if (ih >= 0 && ih < g.h() && iw >= 0 && iw < g.w()) {
            a += w[ch * taps + t] * x[xb + ih * g.w() + iw];
          }
        }
      }
      y[yb + i] = e == null ? a : e.apply(a);
    }
  }

  /**
   * Splits the input plane at x[xb] into its phases at pl[dst + phase * region]: input row i,
   * column j at row i / sh, column j / sw (row stride ow) of phase (i % sh) * sw + j % sw. Values
   * between are left as they were (the masks zero every read of them).
   */
  private void split(int[] x, int xb, int[] pl, int dst) {
    int h = g.h();
    int wd = g.w();
    int sh = g.sh();
    int sw = g.sw();
    int ow = g.ow();
    // no division per row: (a, pr) = (i % sh, i / sh) advance with i
    boolean halves = sw == 2 && xb + (h - 1) * wd + splitRead <= x.length;
    for (int i = 0, a = 0, pr = 0; i < h; i++) {
      int xRow = xb + i * wd;
      int row = dst + a * sw * region + pr * ow;
      if (sw == 1) {
        VectorKernels.copyIn(x, xRow, pl, row, wd);
      } else if (halves || (sw == 2 && xRow + splitRead <= x.length)) {
        VectorKernels.deinterleaveRow(x, xRow, wd, pl, row, row + region);
      } else {
        for (int j = 0, u = 0, q = 0; j < wd; j++) {
          pl[row + u * region + q] = x[xRow + j];
          if (++u == sw) {
            u = 0;
            q++;
          }
        }
      }
      if (++a == sh) {
        a = 0;
        pr++;
      }
    }
  }

  /** Per-thread buffers: phase planes, masked weights, the buffer of a task's last vectors, offsets. */
  private static final class Scratch {
    int[] phases = new int[0];
    int[] wm = new int[0];
    int[] last = new int[0];
    int[] xo = new int[0];
    int[] yo = new int[0];

    void ensure(int phaseInts, int wmInts, int lanes, int images) {
      if (phases.length < phaseInts) {
        phases = new int[phaseInts];
      }
      if (wm.length < wmInts) {
        wm = new int[wmInts];
      }
      if (last.length < lanes) {
        last = new int[lanes];
      }
      if (xo.length < images + 1) {
        xo = new int[images + 1];
        yo = new int[images + 1];
      }
    }
  }

  private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);
}
