package io.mrt.runtime.exec.cvm;

import java.util.Arrays;

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
final class Planes {
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
        boolean cast = !PackedKernels.fitsInt8(pk.vector(), x, xo, h * wd);
        pk.copyRun(x, xo, 1, cast, null, xp, base + n * h * wd, h * wd);
      }
      return;
    }
    if (shared) {
      Arrays.fill(xp, base, base + plane, 0f);
      for (int n = 0; n < g.n(); n++) {
        int xo = (n * g.c() + c) * h * wd;
        boolean cast = !PackedKernels.fitsInt8(pk.vector(), x, xo, h * wd);
        int d = base + (g.ph() + n * rows) * wq + g.pw();
        for (int i = 0; i < h; i++) {
          int di = d + i * wq;
          if (cast || wd >= pk.lanes) {
            pk.copyRun(x, xo + i * wd, 1, cast, null, xp, di, wd);
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
      boolean cast = !PackedKernels.fitsInt8(pk.vector(), x, xo, h * wd);
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
            pk.copyRun(x, xo + i * wd + j0, sw, cast, null, xp, d, cnt);
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
