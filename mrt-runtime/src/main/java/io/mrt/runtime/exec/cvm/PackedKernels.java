package io.mrt.runtime.exec.cvm;

import java.util.Arrays;

/**
 * The packed kernels of conv2d and dense: weights packed once at load (rows padded to blocks of
 * four, int8-narrowed for conv2d with groups == 1 as the reference does), the whole batch as one
 * GEMM whose columns are output positions of all images, tiles of {@link #tp} columns built by
 * im2col (a 1x1 window reads one run per image), and a fused {@link Epilogue} (bias, then
 * relu/clip/cvm_clip/cvm_right_shift) applied as composed {@link Passes} while the tile is in
 * cache. Depthwise conv2d (one input and one output channel per group) runs as shifted
 * multiply-adds: in the planes' own layout with padding masks (stride 1, same size, small planes,
 * Vector API), else over the padded planes of a channel's images stacked in one buffer. Work is
 * split into tasks that write disjoint outputs (or, within one task, overwrite in order what they
 * stored past a row or plane); every output value is one int32 sum (exact modulo 2^32 in any
 * order), so the bits never depend on the thread count or on the Vector API.
 */
final class PackedKernels {
  /** Whether {@code jdk.incubator.vector} is in the boot layer (java --add-modules jdk.incubator.vector). */
  static final boolean VECTOR_AVAILABLE = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

  private final boolean vector;
  /** Lanes per vector. */
  final int lanes;
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

  private void epilogue(Passes e, int[] src, int so, int bias, int[] y, int yo, int n) {
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
  CvmOp.Kernel conv(ConvOp.Geometry g, int[] packed, boolean bias, Epilogue ep) {
    Passes e = Passes.of(ep);
    Planes pl = floatGemm(g) ? Planes.of(g) : null;
    if (pl != null) {
      planeFloats = Math.max(planeFloats, pl.size);
      float[] wf = packed == null ? null : floats(packed);
      return (x, y, rc) -> planeConv(g, pl, wf != null ? wf : floats(packConv(g, x[1])), bias ? x[2] : null, e, x[0],
          y[0], rc);
    }
    if (depthwise(g) && vector && flat(g)) {
      Flat f = new Flat(g, lanes);
      return (x, y, rc) -> depthwiseFlat(g, f, x[0], x[1], bias ? x[2] : null, e, y[0], rc);
    }
    if (depthwise(g)) {
      return (x, y, rc) -> depthwiseConv(g, x[0], x[1], bias ? x[2] : null, e, y[0], rc);
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

  /**
   * The layout of the implicit GEMM of a conv2d with groups == 1: each input channel's planes of
   * all images in one float array, so that every tap row of the GEMM is a contiguous run of it and
   * no im2col copy is made. Output (n, oh, ow) is column {@code j = (n * rows + oh) * wq + ow}, and
   * its tap kk is the value at {@code off[kk] + j}. Columns with ow &gt;= OW or oh &gt;= OH are
   * computed and never written out.
   *
   * <ul>
   *   <li><b>Shared pads</b> (stride 1, (kh - 1) * dh &gt;= ph and (kw - 1) * dw &gt;= pw, as every
   *       "same" or "valid" conv): rows of width {@code wq = W + pw} (each row's left padding is
   *       also the previous row's right padding), the images stacked with {@code ph} zero rows
   *       above each (the previous image's bottom padding) and below the last; {@code rows = H + ph}
   *       and tap (c, r, s) is at {@code c * plane + r * dh * wq + s * dw}.
   *   <li><b>Phases</b> (any other geometry, strides above 1): the zero-padded planes split by the
   *       strides, padded row p * sh + u and column q * sw + v at row p, column q of phase (u, v),
   *       {@code rows = ceil((H + 2ph) / sh)}, {@code wq = ceil((W + 2pw) / sw)}, the images stacked
   *       in each phase; tap (c, r, s) reads phase (r * dh % sh, s * dw % sw) from row r * dh / sh,
   *       column s * dw / sw.
   * </ul>
   */
  static final class Planes {
    final boolean shared;
    final int wq;
    /** Rows per image in the stack. */
    final int rows;
    /** Floats per phase (phases layout; the whole plane for shared pads). */
    final int phase;
    /** Floats per channel. */
    final int plane;
    /** Columns of the GEMM: N * rows * wq. */
    final int cols;
    /** off[kk]: where tap kk's row starts (column 0). */
    final int[] off;
    /** Which phases (u * sw + v) a tap reads. */
    final boolean[] read;
    /** Floats of the whole buffer: every channel and the slack read by the last tile. */
    final int size;

    private Planes(ConvOp.Geometry g, boolean shared, int tp) {
      this.shared = shared;
      int sh = g.sh();
      int sw = g.sw();
      if (shared) {
        wq = g.w() + g.pw();
        rows = g.h() + g.ph();
        phase = (g.ph() + g.n() * rows) * wq + g.pw();
        plane = phase;
      } else {
        wq = (g.w() + 2 * g.pw() + sw - 1) / sw;
        rows = (g.h() + 2 * g.ph() + sh - 1) / sh;
        phase = g.n() * rows * wq;
        plane = sh * sw * phase;
      }
      cols = g.n() * rows * wq;
      off = new int[g.k()];
      read = new boolean[sh * sw];
      int maxOff = 0;
      for (int c = 0, kk = 0; c < g.c(); c++) {
        for (int r = 0; r < g.kh(); r++) {
          int ro = r * g.dh();
          for (int s = 0; s < g.kw(); s++, kk++) {
            int so = s * g.dw();
            if (shared) {
              off[kk] = c * plane + ro * wq + so;
            } else {
              int ph = (ro % sh) * sw + so % sw;
              read[ph] = true;
              off[kk] = c * plane + ph * phase + (ro / sh) * wq + so / sw;
            }
            maxOff = Math.max(maxOff, off[kk]);
          }
        }
      }
      int tiles = (cols + tp - 1) / tp;
      size = Math.max(g.c() * plane, maxOff + tiles * tp);
    }

    static Planes of(ConvOp.Geometry g) {
      if (g.groups() != 1) {
        return null;
      }
      boolean shared = g.sh() == 1 && g.sw() == 1 && (g.kh() - 1) * g.dh() >= g.ph()
          && (g.kw() - 1) * g.dw() >= g.pw();
      long hp = g.h() + 2L * g.ph();
      long wp = g.w() + 2L * g.pw();
      long plane = shared ? (g.ph() + g.n() * (g.h() + (long) g.ph())) * (g.w() + g.pw()) + g.pw()
          : (long) g.n() * (hp + g.sh()) * (wp + g.sw());
      // the buffer holds every channel and at most one more plane of slack (the last tile reads)
      long size = 2L * g.c() * plane + 4L * VectorKernels.TP;
      return size < Integer.MAX_VALUE / 2 ? new Planes(g, shared, VectorKernels.TP) : null;
    }

    /**
     * Writes channel c of x into its planes at xp[c * plane] (pads zero), each image's plane
     * narrowed to int8 as the reference narrows it when one of its values does not fit (else the
     * narrowing is the identity and the values are converted as they are).
     */
    void fill(PackedKernels pk, ConvOp.Geometry g, int[] x, int c, float[] xp) {
      int base = c * plane;
      int h = g.h();
      int wd = g.w();
      if (shared && g.ph() == 0 && g.pw() == 0) {
        // no pads: each image's plane is one run
        for (int n = 0; n < g.n(); n++) {
          int xo = (n * g.c() + c) * h * wd;
          pk.run(x, xo, 1, !fitsInt8(pk.vector, x, xo, h * wd), null, xp, base + n * h * wd, h * wd);
        }
        return;
      }
      if (shared) {
        Arrays.fill(xp, base, base + plane, 0f);
        for (int n = 0; n < g.n(); n++) {
          int xo = (n * g.c() + c) * h * wd;
          boolean cast = !fitsInt8(pk.vector, x, xo, h * wd);
          int d = base + (g.ph() + n * rows) * wq + g.pw();
          for (int i = 0; i < h; i++) {
            int di = d + i * wq;
            if (cast || wd >= pk.lanes) {
              pk.run(x, xo + i * wd, 1, cast, null, xp, di, wd);
            } else if (di + pk.lanes > base + plane || xo + i * wd + pk.lanes > x.length) {
              for (int j = 0; j < wd; j++) {
                xp[di + j] = x[xo + i * wd + j];
              }
            } else {
              // a row shorter than a vector, stored whole inside this channel's planes: the values
              // past it land on later rows (written after it) or on pads (cleared below)
              VectorKernels.copyInF(x, xo + i * wd, xp, di, wd);
            }
          }
        }
        if (wd < pk.lanes) {
          clearSharedPads(g, xp, base);
        }
        return;
      }
      int sh = g.sh();
      int sw = g.sw();
      for (int ph = 0; ph < read.length; ph++) {
        if (read[ph]) {
          Arrays.fill(xp, base + ph * phase, base + (ph + 1) * phase, 0f);
        }
      }
      for (int n = 0; n < g.n(); n++) {
        int xo = (n * g.c() + c) * h * wd;
        boolean cast = !fitsInt8(pk.vector, x, xo, h * wd);
        for (int i = 0; i < h; i++) {
          int pr = i + g.ph();
          int u = pr % sh;
          for (int v = 0; v < sw; v++) {
            if (!read[u * sw + v]) {
              continue;
            }
            // input columns jx with (jx + pw) % sw == v, from the first one
            int j0 = Math.floorMod(v - g.pw(), sw);
            int cnt = j0 < wd ? (wd - 1 - j0) / sw + 1 : 0;
            int d = base + (u * sw + v) * phase + (n * rows + pr / sh) * wq + (j0 + g.pw()) / sw;
            if (sw == 1 && !cast && cnt < pk.lanes) {
              // not stored as a whole vector: the values past the row would land on pads
              for (int j = 0; j < cnt; j++) {
                xp[d + j] = x[xo + i * wd + j0 + j];
              }
            } else {
              pk.run(x, xo + i * wd + j0, sw, cast, null, xp, d, cnt);
            }
          }
        }
      }
    }

    /** Zeros the left pads of every row and the pad rows of one channel's shared-pad planes (at xp[base]). */
    private void clearSharedPads(ConvOp.Geometry g, float[] xp, int base) {
      int totalRows = g.ph() + g.n() * rows;
      for (int row = 0; row < totalRows; row++) {
        int d = base + row * wq;
        int inImage = (row - g.ph()) % rows;
        if (row < g.ph() || inImage >= g.h()) {
          Arrays.fill(xp, d, d + wq, 0f);
        } else {
          Arrays.fill(xp, d, d + g.pw(), 0f);
        }
      }
      Arrays.fill(xp, base + totalRows * wq, base + plane, 0f);
    }
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
      int b0 = (int) ((long) blocks * part / parts);
      int b1 = (int) ((long) blocks * (part + 1) / parts);
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
        run(x, xo, 1, cast, col, null, j0, len);
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
            run(x, xo + lo * sw, sw, cast, col, null, j0 + lo, hi - lo);
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
  void run(int[] x, int xo, int sw, boolean cast, int[] col, float[] colf, int d, int n) {
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
      epilogue(e, y, lo, 0, y, lo, (c1 - c0) * hw);
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
          axpy(acc, accSize, w[ch * taps + t], pl, src[t]);
        }
      }
      int bv = b == null ? 0 : b[ch];
      epilogue(e, acc, 0, bv, acc, 0, accSize);
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
