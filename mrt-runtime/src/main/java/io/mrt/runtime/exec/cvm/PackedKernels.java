package io.mrt.runtime.exec.cvm;

import java.util.Arrays;

/**
 * The packed kernels of conv2d and dense: weights packed once at load (rows padded to blocks of
 * four, int8-narrowed for conv2d with groups == 1 as the reference does), the whole batch as one
 * GEMM whose columns are output positions of all images, tiles of {@link #tp} columns built by
 * im2col, and a fused {@link Epilogue} (bias, then relu/clip/cvm_clip/cvm_right_shift) applied
 * while the tile is in cache. Depthwise conv2d (one input and one output channel per group) runs
 * as shifted multiply-adds over a padded plane. Work is split into tasks over column tiles and
 * row blocks that write disjoint outputs; every output value is one int32 sum (exact modulo 2^32
 * in any order), so the bits never depend on the thread count or on the Vector API.
 */
final class PackedKernels {
  /** Whether {@code jdk.incubator.vector} is in the boot layer (java --add-modules jdk.incubator.vector). */
  static final boolean VECTOR_AVAILABLE = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

  private final boolean vector;
  /** Lanes per vector. */
  private final int lanes;
  /** Columns per GEMM tile (four vectors). */
  final int tp;

  PackedKernels(boolean vector) {
    this.vector = vector && VECTOR_AVAILABLE;
    this.lanes = this.vector ? VectorKernels.L : 16;
    this.tp = 4 * lanes;
  }

  boolean vector() {
    return vector;
  }

  /** Per-thread scratch (tiles and accumulators). */
  private static final class Scratch {
    int[] col = new int[0];
    int[] acc = new int[0];
    int[] segJ = new int[0];
    int[] segN = new int[0];
    int[] segOh = new int[0];
    int[] segOw = new int[0];
    int[] segLen = new int[0];

    int[] col(int n) {
      if (col.length < n) {
        col = new int[n];
      }
      return col;
    }

    int[] acc(int n) {
      if (acc.length < n) {
        acc = new int[n];
      }
      return acc;
    }

    void segments(int n) {
      if (segJ.length < n) {
        segJ = new int[n];
        segN = new int[n];
        segOh = new int[n];
        segOw = new int[n];
        segLen = new int[n];
      }
    }
  }

  private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

  private void block(int[] w, int w0, int k, int[] col, int c0, int cs, int nv, int[] acc) {
    if (vector) {
      VectorKernels.block(w, w0, k, col, c0, cs, nv, acc);
      return;
    }
    int n = nv * lanes;
    for (int r = 0; r < 4; r++) {
      int ao = r * tp;
      Arrays.fill(acc, ao, ao + n, 0);
      int wr = w0 + r * k;
      for (int kk = 0; kk < k; kk++) {
        int wv = w[wr + kk];
        int co = c0 + kk * cs;
        for (int j = 0; j < n; j++) {
          acc[ao + j] += wv * col[co + j];
        }
      }
    }
  }

  private void epilogue(Epilogue e, int[] src, int so, int bias, int[] y, int yo, int n) {
    if (vector) {
      VectorKernels.epilogue(e, src, so, bias, y, yo, n);
      return;
    }
    for (int i = 0; i < n; i++) {
      y[yo + i] = src[so + i] + bias;
    }
    for (int f = 0; f < e.kind.length; f++) {
      int a = e.a[f];
      int b = e.b[f];
      int s = e.s[f];
      switch (e.kind[f]) {
        case Epilogue.CLAMP -> {
          for (int i = yo; i < yo + n; i++) {
            y[i] = Math.min(Math.max(y[i], a), b);
          }
        }
        case Epilogue.SHIFT_SAT -> {
          for (int i = yo; i < yo + n; i++) {
            y[i] = ((Math.min(Math.max(y[i], a), b) >> s) + 1) >> 1;
          }
        }
        case Epilogue.SHIFT -> {
          for (int i = yo; i < yo + n; i++) {
            y[i] = ((y[i] >> s) + 1) >> 1;
          }
        }
        case Epilogue.SIGN -> {
          for (int i = yo; i < yo + n; i++) {
            y[i] = y[i] >> 31;
          }
        }
        case Epilogue.MUL -> {
          for (int i = yo; i < yo + n; i++) {
            y[i] = y[i] * a;
          }
        }
        default -> Arrays.fill(y, yo, yo + n, 0);
      }
    }
  }

  private void axpy(int[] acc, int n, int w, int[] x, int xo) {
    if (vector) {
      VectorKernels.axpy(acc, n, w, x, xo);
      return;
    }
    for (int i = 0; i < n; i++) {
      acc[i] += w * x[xo + i];
    }
  }

  /** Number of parts to split {@code blocks} row blocks into so that tiles x parts gives the threads work. */
  private static int parts(int tiles, int blocks, int threads) {
    if (threads <= 1) {
      return 1;
    }
    int want = (4 * threads + tiles - 1) / tiles;
    return Math.max(1, Math.min(blocks, want));
  }

  // ---------------------------------------------------------------- conv2d

  /** Whether the conv2d runs as depthwise planes (one input and one output channel per group). */
  static boolean depthwise(ConvOp.Geometry g) {
    return g.groups() > 1 && g.groups() == g.c() && g.groups() == g.o();
  }

  /**
   * Packs conv2d weights [O, C/g, kh, kw] into rows padded per group to a multiple of four
   * (int8-narrowed when groups == 1, as the reference kernel narrows them).
   */
  static int[] packConv(ConvOp.Geometry g, int[] w) {
    int k = g.k();
    int opg = g.o() / g.groups();
    int opgPad = (opg + 3) / 4 * 4;
    int[] p = new int[g.groups() * opgPad * k];
    boolean cast = g.groups() == 1;
    for (int gi = 0; gi < g.groups(); gi++) {
      for (int r = 0; r < opg; r++) {
        int src = (gi * opg + r) * k;
        int dst = (gi * opgPad + r) * k;
        for (int i = 0; i < k; i++) {
          p[dst + i] = cast ? (byte) w[src + i] : w[src + i];
        }
      }
    }
    return p;
  }

  /**
   * The conv2d kernel: reads data (x[0]), the weights (packed once when {@code packed} is given,
   * else packed from x[1] on each run) and the bias (x[2] when {@code bias}), and writes the fused
   * result to y[0].
   */
  CvmOp.Kernel conv(ConvOp.Geometry g, int[] packed, boolean bias, Epilogue e) {
    if (depthwise(g)) {
      return (x, y, rc) -> depthwiseConv(g, x[0], x[1], bias ? x[2] : null, e, y[0], rc);
    }
    return (x, y, rc) -> gemmConv(g, packed != null ? packed : packConv(g, x[1]), bias ? x[2] : null, e, x[0], y[0],
        rc);
  }

  private void gemmConv(ConvOp.Geometry g, int[] w, int[] b, Epilogue e, int[] x, int[] y, RunContext rc) {
    int k = g.k();
    int positions = g.positions();
    long cols = (long) g.n() * positions;
    int tiles = (int) ((cols + tp - 1) / tp);
    int opg = g.o() / g.groups();
    int opgPad = (opg + 3) / 4 * 4;
    int blocksPerGroup = opgPad / 4;
    int blocks = g.groups() * blocksPerGroup;
    int parts = parts(tiles, blocks, rc.threads());
    // groups == 1 narrows inputs to int8 as the reference does; when every value already fits
    // (the usual case) the narrowing is the identity and im2col copies rows as they are
    boolean cast = g.groups() == 1 && !fitsInt8(vector, x, g.n() * g.c() * g.h() * g.w());
    int maxSegs = tp / g.ow() + 2;
    // 1x1, stride 1, no padding, tiles inside one image: the input rows are the im2col rows
    boolean direct = g.kh() == 1 && g.kw() == 1 && g.sh() == 1 && g.sw() == 1 && g.ph() == 0 && g.pw() == 0
        && !cast && positions % tp == 0;
    int ipg = g.c() / g.groups();
    rc.parallelFor(tiles * parts, task -> {
      int tile = task / parts;
      int part = task % parts;
      int b0 = (int) ((long) blocks * part / parts);
      int b1 = (int) ((long) blocks * (part + 1) / parts);
      long p0 = (long) tile * tp;
      int t = (int) Math.min(tp, cols - p0);
      int nv = (t + lanes - 1) / lanes;
      Scratch sc = SCRATCH.get();
      int[] col = sc.col(k * tp);
      int[] acc = sc.acc(4 * tp);
      sc.segments(maxSegs);
      // row segments of the tile: (column j, image n, output row oh, first column ow, length)
      int segs = 0;
      int n = (int) (p0 / positions);
      int pos = (int) (p0 % positions);
      for (int j = 0; j < t; ) {
        int oh = pos / g.ow();
        int ow = pos % g.ow();
        int len = Math.min(g.ow() - ow, t - j);
        sc.segJ[segs] = j;
        sc.segN[segs] = n;
        sc.segOh[segs] = oh;
        sc.segOw[segs] = ow;
        sc.segLen[segs] = len;
        segs++;
        j += len;
        pos += len;
        if (pos == positions) {
          pos = 0;
          n++;
        }
      }
      int group = -1;
      for (int blk = b0; blk < b1; blk++) {
        int gi = blk / blocksPerGroup;
        if (gi != group && !direct) {
          im2col(g, x, gi, sc, segs, col, cast);
          group = gi;
        }
        int r0 = (blk % blocksPerGroup) * 4;
        if (direct) {
          block(w, (gi * opgPad + r0) * k, k, x, (sc.segN[0] * g.c() + gi * ipg) * positions
              + sc.segOh[0] * g.ow() + sc.segOw[0], positions, nv, acc);
        } else {
          block(w, (gi * opgPad + r0) * k, k, col, 0, tp, nv, acc);
        }
        for (int r = 0; r < 4 && r0 + r < opg; r++) {
          int o = gi * opg + r0 + r;
          int bv = b == null ? 0 : b[o];
          // write runs of columns that are contiguous in y (one image each)
          int s = 0;
          while (s < segs) {
            int sn = sc.segN[s];
            int j0 = sc.segJ[s];
            int len = 0;
            int s1 = s;
            while (s1 < segs && sc.segN[s1] == sn) {
              len += sc.segLen[s1];
              s1++;
            }
            int pos0 = sc.segOh[s] * g.ow() + sc.segOw[s];
            epilogue(e, acc, r * tp + j0, bv, y, (sn * g.o() + o) * positions + pos0, len);
            s = s1;
          }
        }
      }
    });
  }

  /** Whether x[0..n) all lie in [-128, 127] (with the Vector API when {@code vector}). */
  static boolean fitsInt8(boolean vector, int[] x, int n) {
    return vector ? VectorKernels.fitsInt8(x, n) : fitsInt8(x, n);
  }

  /** Whether x[0..n) all lie in [-128, 127]. */
  static boolean fitsInt8(int[] x, int n) {
    int lo = 0;
    int hi = 0;
    for (int i = 0; i < n; i++) {
      lo = Math.min(lo, x[i]);
      hi = Math.max(hi, x[i]);
    }
    return lo >= Byte.MIN_VALUE && hi <= Byte.MAX_VALUE;
  }

  /** col[kk * tp + j] = input tap kk (of group gi) at tile column j; 0 in the padding. */
  private void im2col(ConvOp.Geometry g, int[] x, int gi, Scratch sc, int segs, int[] col, boolean cast) {
    int ipg = g.c() / g.groups();
    int h = g.h();
    int w = g.w();
    int sw = g.sw();
    int kk = 0;
    for (int c = 0; c < ipg; c++) {
      int ch = gi * ipg + c;
      for (int r = 0; r < g.kh(); r++) {
        for (int s = 0; s < g.kw(); s++, kk++) {
          int ro = kk * tp;
          for (int sg = 0; sg < segs; sg++) {
            int j0 = ro + sc.segJ[sg];
            int len = sc.segLen[sg];
            int ih = sc.segOh[sg] * g.sh() - g.ph() + r * g.dh();
            if (ih < 0 || ih >= h) {
              Arrays.fill(col, j0, j0 + len, 0);
              continue;
            }
            int iw0 = sc.segOw[sg] * sw - g.pw() + s * g.dw();
            // columns i in [lo, hi) read inside the row: 0 <= iw0 + i * sw < w
            int lo = iw0 >= 0 ? 0 : (-iw0 + sw - 1) / sw;
            int hi = iw0 > w - 1 ? 0 : (w - 1 - iw0) / sw + 1;
            lo = Math.min(lo, len);
            hi = Math.max(lo, Math.min(hi, len));
            if (lo > 0) {
              Arrays.fill(col, j0, j0 + lo, 0);
            }
            int xo = ((sc.segN[sg] * g.c() + ch) * h + ih) * w + iw0;
            if (cast) {
              if (sw == 1) {
                for (int i = lo; i < hi; i++) {
                  col[j0 + i] = (byte) x[xo + i];
                }
              } else {
                for (int i = lo; i < hi; i++) {
                  col[j0 + i] = (byte) x[xo + i * sw];
                }
              }
            } else if (sw == 1) {
              System.arraycopy(x, xo + lo, col, j0 + lo, hi - lo);
            } else {
              for (int i = lo; i < hi; i++) {
                col[j0 + i] = x[xo + i * sw];
              }
            }
            if (hi < len) {
              Arrays.fill(col, j0 + hi, j0 + len, 0);
            }
          }
        }
      }
    }
  }

  private static final ThreadLocal<int[][]> PLANE = ThreadLocal.withInitial(() -> new int[2][0]);

  /**
   * Depthwise conv2d, one task per (image, channel) plane: the zero-padded plane is split into
   * stride phases (rows p*sh+r and columns q*sw+s of the padded plane become row p+r/sh, column
   * q+s/sw of phase (r%sh, s%sw)), so every tap is one contiguous multiply-add over the whole output
   * plane laid out with the phase width (the columns past the output width are never written out).
   */
  private void depthwiseConv(ConvOp.Geometry g, int[] x, int[] w, int[] b, Epilogue e, int[] y, RunContext rc) {
    int c = g.c();
    int h = g.h();
    int wd = g.w();
    int sh = g.sh();
    int sw = g.sw();
    int hq = (h + 2 * g.ph() + sh - 1) / sh;
    int wq = (wd + 2 * g.pw() + sw - 1) / sw;
    int phase = hq * wq;
    int oh = g.oh();
    int ow = g.ow();
    int taps = g.kh() * g.kw();
    // slack: the last tap may read up to (kw-1)*dw/sw columns past the last phase row
    int planeSize = sh * sw * phase + wq + g.kw() * g.dw();
    int accSize = oh * wq;
    // tap t = (r, s) reads phase (r*dh % sh, s*dw % sw) from row r*dh/sh, column s*dw/sw
    int[] src = new int[taps];
    for (int r = 0, t = 0; r < g.kh(); r++) {
      int ro = r * g.dh();
      for (int s = 0; s < g.kw(); s++, t++) {
        int co = s * g.dw();
        src[t] = ((ro % sh) * sw + co % sw) * phase + (ro / sh) * wq + co / sw;
      }
    }
    rc.parallelFor(g.n() * c, task -> {
      int n = task / c;
      int ch = task % c;
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
      int xBase = (n * c + ch) * h * wd;
      for (int i = 0; i < h; i++) {
        int row = i + g.ph();
        int rowBase = ((row % sh) * sw) * phase + (row / sh) * wq;
        int xRow = xBase + i * wd;
        if (sw == 1) {
          System.arraycopy(x, xRow, pl, rowBase + g.pw(), wd);
          continue;
        }
        for (int cp = 0; cp < sw; cp++) {
          // input columns j with (j + pw) % sw == cp go to phase cp, column (j + pw) / sw
          int j = Math.floorMod(cp - g.pw(), sw);
          int dst = rowBase + cp * phase + (j + g.pw()) / sw;
          for (; j < wd; j += sw, dst++) {
            pl[dst] = x[xRow + j];
          }
        }
      }
      if (vector) {
        VectorKernels.taps(acc, accSize, w, ch * taps, src, taps, pl);
      } else {
        Arrays.fill(acc, 0, accSize, 0);
        for (int t = 0; t < taps; t++) {
          axpy(acc, accSize, w[ch * taps + t], pl, src[t]);
        }
      }
      int bv = b == null ? 0 : b[ch];
      int yBase = (n * c + ch) * oh * ow;
      if (wq == ow) {
        epilogue(e, acc, 0, bv, y, yBase, accSize);
      } else {
        epilogue(e, acc, 0, bv, acc, 0, accSize);
        for (int p = 0; p < oh; p++) {
          System.arraycopy(acc, p * wq, y, yBase + p * ow, ow);
        }
      }
    });
  }

  // ---------------------------------------------------------------- element-wise

  /** Elements per task of the fused element-wise kernel. */
  private static final int CHUNK = 1 << 15;

  /** elemwise_add (or _sub) of x[0] and x[1] followed by the fused tail, in chunks (in place is fine). */
  CvmOp.Kernel elementwise(boolean add, int n, Epilogue e) {
    return (x, y, rc) -> {
      int[] a = x[0];
      int[] b = x[1];
      int[] c = y[0];
      rc.parallelFor((n + CHUNK - 1) / CHUNK, t -> {
        int lo = t * CHUNK;
        int hi = Math.min(n, lo + CHUNK);
        if (add) {
          for (int i = lo; i < hi; i++) {
            c[i] = a[i] + b[i];
          }
        } else {
          for (int i = lo; i < hi; i++) {
            c[i] = a[i] - b[i];
          }
        }
        epilogue(e, c, lo, 0, c, lo, hi - lo);
      });
    };
  }

  /**
   * One element-wise node (relu, clip, cvm_clip, cvm_right_shift, or broadcast_mul by a
   * one-element parameter) of input {@code x[input]} with its fused tail, as one pass in chunks:
   * {@code e} holds the node's own function first (in place is fine).
   */
  CvmOp.Kernel unary(int input, int n, Epilogue e) {
    return (x, y, rc) -> {
      int[] a = x[input];
      int[] c = y[0];
      rc.parallelFor((n + CHUNK - 1) / CHUNK, t -> {
        int lo = t * CHUNK;
        epilogue(e, a, lo, 0, c, lo, Math.min(n, lo + CHUNK) - lo);
      });
    };
  }

  // ---------------------------------------------------------------- dense

  /** Packs dense weights [U, K] into rows padded to a multiple of four (no narrowing, as the reference). */
  static int[] packDense(int u, int k, int[] w) {
    int[] p = new int[(u + 3) / 4 * 4 * k];
    System.arraycopy(w, 0, p, 0, u * k);
    return p;
  }

  /** The dense kernel: y[m, u] = epilogue(sum_k x[m, k] * w[u, k] + b[u]). */
  CvmOp.Kernel dense(int m, int k, int u, int[] packed, boolean bias, Epilogue e) {
    return (x, y, rc) -> gemmDense(m, k, u, packed != null ? packed : packDense(u, k, x[1]), bias ? x[2] : null, e,
        x[0], y[0], rc);
  }

  private void gemmDense(int m, int k, int u, int[] w, int[] b, Epilogue e, int[] x, int[] y, RunContext rc) {
    int tiles = (m + tp - 1) / tp;
    int blocks = (u + 3) / 4;
    int parts = parts(tiles, blocks, rc.threads());
    rc.parallelFor(tiles * parts, task -> {
      int tile = task / parts;
      int part = task % parts;
      int b0 = (int) ((long) blocks * part / parts);
      int b1 = (int) ((long) blocks * (part + 1) / parts);
      int m0 = tile * tp;
      int t = Math.min(tp, m - m0);
      int nv = (t + lanes - 1) / lanes;
      Scratch sc = SCRATCH.get();
      int[] col = sc.col(k * tp);
      int[] acc = sc.acc(4 * tp);
      for (int j = 0; j < t; j++) {
        int xo = (m0 + j) * k;
        for (int kk = 0; kk < k; kk++) {
          col[kk * tp + j] = x[xo + kk];
        }
      }
      for (int blk = b0; blk < b1; blk++) {
        int r0 = blk * 4;
        block(w, r0 * k, k, col, 0, tp, nv, acc);
        for (int r = 0; r < 4 && r0 + r < u; r++) {
          int o = r0 + r;
          int bv = b == null ? 0 : b[o];
          for (int j = 0; j < t; j++) {
            y[(m0 + j) * u + o] = e.apply(acc[r * tp + j] + bv);
          }
        }
      }
    });
  }
}
