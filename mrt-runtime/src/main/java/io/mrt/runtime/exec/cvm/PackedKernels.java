package io.mrt.runtime.exec.cvm;

import io.mrt.runtime.VectorApi;
import java.util.Arrays;

/**
 * The packed kernels of conv2d and dense: weights packed once at load (rows padded to blocks of
 * four, int8-narrowed for conv2d with groups == 1 as the reference does), the whole batch as one
 * GEMM whose columns are output positions of all images, tiles of {@link #tp} columns built by
 * im2col (a 1x1 window reads one run per image), and a fused {@link Epilogue} (bias, then
 * relu/clip/cvm_clip/cvm_right_shift) applied as composed {@link Passes} while the tile is in
 * cache. Depthwise conv2d (one input and one output channel per group) runs in
 * {@link DepthwiseKernels}. Work is
 * split into tasks that write disjoint outputs (or, within one task, overwrite in order what they
 * stored past a row or plane); every output value is one int32 sum (exact modulo 2^32 in any
 * order), so the bits never depend on the thread count or on the Vector API.
 */
final class PackedKernels {
  private final boolean vector;
  /** Lanes per vector. */
  final int lanes;
  /** Columns per GEMM tile (four vectors). */
  final int tp;

  /** Depthwise conv2d. */
  private final DepthwiseKernels depthwiseKernels;

  PackedKernels(boolean vector) {
    this.vector = vector && VectorApi.AVAILABLE;
    this.lanes = this.vector ? VectorKernels.L : 16;
    this.tp = 4 * lanes;
    this.depthwiseKernels = new DepthwiseKernels(this);
  }

  boolean vector() {
    return vector;
  }

  /** Floats of the largest {@link Planes} buffer the conv2d kernels made so far need (0 if none). */
  private long planeFloats;

  /** Bytes of the float planes a run of the kernels made so far needs (one buffer per calling thread). */
  long scratchBytes() {
    return 4 * planeFloats;
  }

  /** Per-thread scratch (tiles and accumulators). */
  private static final class Scratch {
    int[] col = new int[0];
    float[] facc = new float[0];
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

    float[] facc(int n) {
      if (facc.length < n) {
        facc = new float[n];
      }
      return facc;
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

  void epilogue(Passes e, int[] src, int so, int bias, int[] y, int yo, int n) {
    if (vector) {
      VectorKernels.epilogue(e, src, so, bias, y, yo, n);
      return;
    }
    for (int i = 0; i < n; i++) {
      y[yo + i] = src[so + i] + bias;
    }
    // one loop per pass (the JIT vectorises each), not a switch per value
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

  void axpy(int[] acc, int n, int w, int[] x, int xo) {
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
  /** The first of {@code blocks} blocks that part {@code part} of {@code parts} computes (the blocks split evenly). */
  private static int partStart(int blocks, int part, int parts) {
    return (int) ((long) blocks * part / parts);
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
  CvmOp.Kernel conv(ConvOp.Geometry g, int[] packed, boolean bias, Epilogue ep) {
    Passes e = Passes.of(ep);
    Planes pl = floatGemm(g) ? Planes.of(g) : null;
    if (pl != null) {
      planeFloats = Math.max(planeFloats, pl.size);
      float[] wf = packed == null ? null : floats(packed);
      return (x, y, rc) -> planeConv(g, pl, wf != null ? wf : floats(packConv(g, x[1])), bias ? x[2] : null, e, x[0],
          y[0], rc);
    }
    if (depthwise(g)) {
      return depthwiseKernels.conv(g, bias, e);
    }
    return (x, y, rc) -> gemmConv(g, packed != null ? packed : packConv(g, x[1]), bias ? x[2] : null, e, x[0], y[0],
        rc);
  }

  /**
   * Whether conv2d runs its GEMM in float fused multiply-adds ({@link VectorKernels#fblockAt}):
   * groups == 1, where the reference narrows both data and weights to int8, so every product is an
   * integer of magnitude at most 2^14 and chunks of {@link #FLOAT_CHUNK} taps sum exactly.
   */
  boolean floatGemm(ConvOp.Geometry g) {
    // a 1x1 window with stride 1 and no padding on planes of at most 1024 positions keeps the
    // int32 GEMM, which reads its input in place (or, when a tile spans images, copies each
    // image's run): laying such a conv's input out as floats costs more than the float FMA saves
    // (MobileNetV2's 96 -> 16 projection on 32x32 at batch 16: 1.07 ms int32, 1.76 ms float; a
    // 288 -> 80 projection on 4x4: 0.16 against 0.28 ms; on 7x7 and 14x14 planes 10-25% less). On
    // larger planes the in-place reads jump a whole plane per tap, and the float planes win
    // (MobileNetV2 224 at batch 16: 211 ms against 1013 ms)
    boolean pointwiseInPlace = g.kh() == 1 && g.kw() == 1 && g.sh() == 1 && g.sw() == 1 && g.ph() == 0
        && g.pw() == 0 && g.positions() <= 1024;
    return vector && g.groups() == 1 && !pointwiseInPlace && VectorKernels.floatLanesMatch();
  }


  private static final ThreadLocal<float[][]> PLANES = ThreadLocal.withInitial(() -> new float[1][0]);

  /**
   * conv2d (groups == 1) as an implicit float GEMM over {@link Planes}: the planes are filled once
   * per run (int8-narrowed when a value does not fit, as the reference narrows), then each tile of
   * columns and block of four output channels runs {@link VectorKernels#fblockAt} in exact
   * chunks, the passes run over the tile's row, and its valid runs are copied to y.
   */
  private void planeConv(ConvOp.Geometry g, Planes pl, float[] wf, int[] b, Passes e, int[] x, int[] y,
      RunContext rc) {
    int k = g.k();
    int oh = g.oh();
    int ow = g.ow();
    int positions = g.positions();
    float[][] holder = PLANES.get();
    if (holder[0].length < pl.size) {
      holder[0] = new float[pl.size];
    }
    float[] xp = holder[0];
    rc.parallelFor(g.c(), c -> pl.fill(this, g, x, c, xp));
    int slack = g.c() * pl.plane;
    if (slack < pl.size) {
      Arrays.fill(xp, slack, pl.size, 0f);
    }
    int tiles = (pl.cols + tp - 1) / tp;
    int opgPad = (g.o() + 3) / 4 * 4;
    int blocks = opgPad / 4;
    int parts = parts(tiles, blocks, rc.threads());
    int imageCols = pl.rows * pl.wq;
    rc.parallelFor(tiles * parts, task -> {
      int tile = task / parts;
      int part = task % parts;
      int b0 = partStart(blocks, part, parts);
      int b1 = partStart(blocks, part + 1, parts);
      int j0 = tile * tp;
      int t = Math.min(tp, pl.cols - j0);
      Scratch sc = SCRATCH.get();
      int[] acc = sc.acc(4 * tp);
      float[] facc = sc.facc(4 * tp);
      sc.segments(tp);
      // runs of valid columns: (column in the tile, image, output position, length)
      int segs = 0;
      for (int j = 0; j < t; ) {
        int col = j0 + j;
        int n = col / imageCols;
        int q = col % imageCols;
        int r = q / pl.wq;
        int s = q % pl.wq;
        int len;
        if (r < oh && s < ow) {
          len = Math.min(ow - s, t - j);
          if (segs > 0 && sc.segN[segs - 1] == n && sc.segOh[segs - 1] + sc.segLen[segs - 1] == r * ow + s
              && sc.segJ[segs - 1] + sc.segLen[segs - 1] == j) {
            // the run continues the previous one in y (rows without pad columns)
            sc.segLen[segs - 1] += len;
          } else {
            sc.segJ[segs] = j;
            sc.segN[segs] = n;
            sc.segOh[segs] = r * ow + s;
            sc.segLen[segs] = len;
            segs++;
          }
        } else {
          len = r < oh ? Math.min(pl.wq - s, t - j) : Math.min(imageCols - q, t - j);
        }
        j += len;
      }
      if (segs == 0) {
        return;
      }
      for (int blk = b0; blk < b1; blk++) {
        int r0 = blk * 4;
        for (int k0 = 0; k0 < k; k0 += FLOAT_CHUNK) {
          VectorKernels.fblockAt(wf, r0 * k + k0, k, k0, Math.min(FLOAT_CHUNK, k - k0), xp, pl.off, j0, facc);
          VectorKernels.collect(facc, acc, k0 == 0);
        }
        if (k == 0) {
          Arrays.fill(acc, 0, 4 * tp, 0);
        }
        for (int r = 0; r < 4 && r0 + r < g.o(); r++) {
          int o = r0 + r;
          int bv = b == null ? 0 : b[o];
          if (segs == 1 && sc.segJ[0] == 0) {
            // one run from the tile's first column: the passes write it to y
            epilogue(e, acc, r * tp, bv, y, (sc.segN[0] * g.o() + o) * positions + sc.segOh[0], sc.segLen[0]);
            continue;
          }
          epilogue(e, acc, r * tp, bv, acc, r * tp, tp);
          for (int sg = 0; sg < segs; sg++) {
            System.arraycopy(acc, r * tp + sc.segJ[sg], y, (sc.segN[sg] * g.o() + o) * positions + sc.segOh[sg],
                sc.segLen[sg]);
          }
        }
      }
    });
  }

  /** Taps per float GEMM chunk: 256 products of magnitude 2^14 at most sum to 2^22 at most. */
  static final int FLOAT_CHUNK = 256;

  private static float[] floats(int[] a) {
    float[] f = new float[a.length];
    for (int i = 0; i < a.length; i++) {
      f[i] = a[i];
    }
    return f;
  }

  /** The int32 conv2d GEMM over im2col tiles (other groups, plain loops, and planes too large for an array). */
  private void gemmConv(ConvOp.Geometry g, int[] w, int[] b, Passes e, int[] x, int[] y, RunContext rc) {
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
    boolean pointwise = g.kh() == 1 && g.kw() == 1 && g.sh() == 1 && g.sw() == 1 && g.ph() == 0 && g.pw() == 0;
    boolean direct = pointwise && !cast && positions % tp == 0;
    if (pointwise && !cast && !direct && g.groups() == 1 && positions > tp / 2) {
      // tiles inside one image read in place: on fashion-mobilenetv2's 7x7, 14x14 and 28x28
      // planes 10-40% less than tiles spanning images, whose rows are copied (most for few
      // output channels, where a tile's copy serves few blocks); not on planes of at most half a
      // tile, where a tile would be one or two vectors (MobileNetV2-CIFAR's 4x4 planes: 1.5x as
      // long)
      pointwiseTiles(g, w, b, e, x, y, rc);
      return;
    }
    int ipg = g.c() / g.groups();
    rc.parallelFor(tiles * parts, task -> {
      int tile = task / parts;
      int part = task % parts;
      int b0 = partStart(blocks, part, parts);
      int b1 = partStart(blocks, part + 1, parts);
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
        // a 1x1 window with stride 1 and no padding reads each image's columns as one run
        int len = pointwise ? Math.min(positions - pos, t - j) : Math.min(g.ow() - ow, t - j);
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
          if (pointwise) {
            pointwiseCols(g, x, gi, sc, segs, col, cast);
          } else {
            im2col(g, x, gi, sc, segs, col, cast);
          }
          group = gi;
        }
        int r0 = (blk % blocksPerGroup) * 4;
        if (direct) {
          block(w, (gi * opgPad + r0) * k, k, x, (sc.segN[0] * g.c() + gi * ipg) * positions
              + sc.segOh[0] * g.ow() + sc.segOw[0], positions, nv, acc);
        } else {
          block(w, (gi * opgPad + r0) * k, k, col, 0, tp, nv, acc);
        }
        boolean oneImage = sc.segN[0] == sc.segN[segs - 1];
        for (int r = 0; r < 4 && r0 + r < opg; r++) {
          int o = gi * opg + r0 + r;
          int bv = b == null ? 0 : b[o];
          if (oneImage) {
            int pos0 = sc.segOh[0] * g.ow() + sc.segOw[0];
            epilogue(e, acc, r * tp, bv, y, (sc.segN[0] * g.o() + o) * positions + pos0, t);
            continue;
          }
          // the tile spans images: the passes run over the whole row of acc (whole vectors), then
          // each image's run of columns is copied to y
          epilogue(e, acc, r * tp, bv, acc, r * tp, nv * lanes);
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
            System.arraycopy(acc, r * tp + j0, y, (sn * g.o() + o) * positions + pos0, len);
            s = s1;
          }
        }
      }
    });
  }

  /**
   * A 1x1 conv2d (stride 1, no padding, groups == 1) whose inputs all fit int8, tiled image by
   * image: each tile's GEMM reads its rows in place, with no im2col copy (the last vector of an
   * image's last tile may read past its plane into the next channel's; those columns are computed
   * and never written), and the passes write the tile's own outputs. A tile whose reads would leave
   * x copies its rows first.
   */
  private void pointwiseTiles(ConvOp.Geometry g, int[] w, int[] b, Passes e, int[] x, int[] y, RunContext rc) {
    int k = g.k();
    int positions = g.positions();
    int per = (positions + tp - 1) / tp;
    int tiles = g.n() * per;
    int blocks = (g.o() + 3) / 4;
    int parts = parts(tiles, blocks, rc.threads());
    rc.parallelFor(tiles * parts, task -> {
      int tile = task / parts;
      int part = task % parts;
      int b0 = partStart(blocks, part, parts);
      int b1 = partStart(blocks, part + 1, parts);
      int n = tile / per;
      int p0 = tile % per * tp;
      int t = Math.min(tp, positions - p0);
      int nv = (t + lanes - 1) / lanes;
      Scratch sc = SCRATCH.get();
      int[] acc = sc.acc(4 * tp);
      int[] src = x;
      int so = n * g.c() * positions + p0;
      int cs = positions;
      if (so + (k - 1) * positions + nv * lanes > x.length) {
        int[] col = sc.col(k * tp);
        for (int c = 0; c < k; c++) {
          System.arraycopy(x, so + c * positions, col, c * tp, t);
        }
        src = col;
        so = 0;
        cs = tp;
      }
      for (int blk = b0; blk < b1; blk++) {
        int r0 = blk * 4;
        block(w, r0 * k, k, src, so, cs, nv, acc);
        for (int r = 0; r < 4 && r0 + r < g.o(); r++) {
          int o = r0 + r;
          epilogue(e, acc, r * tp, b == null ? 0 : b[o], y, (n * g.o() + o) * positions + p0, t);
        }
      }
    });
  }

  /** Whether x[0..n) all lie in [-128, 127] (with the Vector API when {@code vector}). */
  static boolean fitsInt8(boolean vector, int[] x, int n) {
    return fitsInt8(vector, x, 0, n);
  }

  /** Whether x[from, from + n) all lie in [-128, 127] (with the Vector API when {@code vector}). */
  static boolean fitsInt8(boolean vector, int[] x, int from, int n) {
    return vector ? VectorKernels.fitsInt8(x, from, n) : fitsInt8(x, from, n);
  }

  /** Whether x[from, from + n) all lie in [-128, 127]. */
  static boolean fitsInt8(int[] x, int from, int n) {
    int lo = 0;
    int hi = 0;
    for (int i = from; i < from + n; i++) {
      lo = Math.min(lo, x[i]);
      hi = Math.max(hi, x[i]);
    }
    return lo >= Byte.MIN_VALUE && hi <= Byte.MAX_VALUE;
  }

  /** im2col of a 1x1 window with stride 1 and no padding: each segment is a run of one image's positions. */
  private void pointwiseCols(ConvOp.Geometry g, int[] x, int gi, Scratch sc, int segs, int[] col, boolean cast) {
    int ipg = g.c() / g.groups();
    int positions = g.positions();
    for (int c = 0; c < ipg; c++) {
      int ch = gi * ipg + c;
      int ro = c * tp;
      for (int sg = 0; sg < segs; sg++) {
        int j0 = ro + sc.segJ[sg];
        int len = sc.segLen[sg];
        int xo = (sc.segN[sg] * g.c() + ch) * positions + sc.segOh[sg] * g.ow() + sc.segOw[sg];
        copyRun(x, xo, 1, cast, col, null, j0, len);
      }
    }
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
            copyRun(x, xo + lo * sw, sw, cast, col, null, j0 + lo, hi - lo);
            if (hi < len) {
              Arrays.fill(col, j0 + hi, j0 + len, 0);
            }
          }
        }
      }
    }
  }

  /**
   * Writes x[xo + i * sw] (narrowed to int8 when {@code cast}) for i &lt; n to col[d + i], or as
   * floats to colf[d + i] when {@code colf} is given. With the Vector API and stride 1, a run
   * shorter than a vector may be stored whole: the values past it land on columns or rows of the
   * tile that are written after it.
   */
  void copyRun(int[] x, int xo, int sw, boolean cast, int[] col, float[] colf, int d, int n) {
    if (colf != null) {
      if (cast) {
        for (int i = 0; i < n; i++) {
          colf[d + i] = (byte) x[xo + i * sw];
        }
      } else if (sw == 1) {
        VectorKernels.copyInF(x, xo, colf, d, n);
      } else {
        for (int i = 0; i < n; i++) {
          colf[d + i] = x[xo + i * sw];
        }
      }
    } else if (cast) {
      for (int i = 0; i < n; i++) {
        col[d + i] = (byte) x[xo + i * sw];
      }
    } else if (sw == 1) {
      if (vector) {
        VectorKernels.copyIn(x, xo, col, d, n);
      } else {
        System.arraycopy(x, xo, col, d, n);
      }
    } else {
      for (int i = 0; i < n; i++) {
        col[d + i] = x[xo + i * sw];
      }
    }
  }

  // ---------------------------------------------------------------- element-wise

  /** Elements per task of the fused element-wise kernel. */
  private static final int CHUNK = 1 << 15;

  /** elemwise_add (or _sub) of x[0] and x[1] followed by the fused tail, in chunks (in place is fine). */
  CvmOp.Kernel elementwise(boolean add, int n, Epilogue ep) {
    Passes e = Passes.of(ep);
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
  CvmOp.Kernel unary(int input, int n, Epilogue ep) {
    Passes e = Passes.of(ep);
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
      int b0 = partStart(blocks, part, parts);
      int b1 = partStart(blocks, part + 1, parts);
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
