package io.mrt.runtime.data;

/**
 * Bilinear resize of 8-bit interleaved RGB as OpenCV's {@code cv::resize(..., INTER_LINEAR)}
 * computes it for 8-bit images (what MXNet's {@code imresize} and {@code ImageRecordIter} call):
 * half-pixel centres ({@code sx = (dx + 0.5) * W / W' - 0.5}), coordinates clamped to the border,
 * weights in 11-bit fixed point ({@code a0 = round((1 - f) * 2048)}, {@code a1 = 2048 - a0}), a
 * horizontal pass to ints, then the vertical pass with OpenCV's rounding
 * {@code ((b0 * (r0 >> 4)) >> 16) + ((b1 * (r1 >> 4)) >> 16) + 2) >> 2}.
 */
final class Bilinear {
  private static final int BITS = 11;
  private static final int ONE = 1 << BITS;

  private Bilinear() {}

  /** {nh, nw, pixels...} from {h, w, pixels...}. */
  static int[] resize(int[] src, int h, int w, int nh, int nw) {
    int[] xi = new int[nw];
    int[][] xa = new int[nw][2];
    coefficients(w, nw, xi, xa);
    int[] yi = new int[nh];
    int[][] ya = new int[nh][2];
    coefficients(h, nh, yi, ya);
    int[] out = new int[2 + 3 * nh * nw];
    out[0] = nh;
    out[1] = nw;
    int[] r0 = new int[nw * 3];
    int[] r1 = new int[nw * 3];
    for (int dy = 0; dy < nh; dy++) {
      int sy0 = yi[dy];
      int sy1 = Math.min(sy0 + 1, h - 1);
      horizontal(src, w, sy0, xi, xa, r0);
      horizontal(src, w, sy1, xi, xa, r1);
      int b0 = ya[dy][0];
      int b1 = ya[dy][1];
      for (int k = 0; k < nw * 3; k++) {
        int v = (((b0 * (r0[k] >> 4)) >> 16) + ((b1 * (r1[k] >> 4)) >> 16) + 2) >> 2;
        out[2 + dy * nw * 3 + k] = Math.max(0, Math.min(255, v));
      }
    }
    return out;
  }

  private static void horizontal(int[] src, int w, int sy, int[] xi, int[][] xa, int[] row) {
    int base = 2 + sy * w * 3;
    for (int dx = 0; dx < xi.length; dx++) {
      int sx0 = xi[dx];
      int sx1 = Math.min(sx0 + 1, w - 1);
      for (int c = 0; c < 3; c++) {
        row[dx * 3 + c] = src[base + sx0 * 3 + c] * xa[dx][0] + src[base + sx1 * 3 + c] * xa[dx][1];
      }
    }
  }

  private static void coefficients(int src, int dst, int[] index, int[][] weight) {
    double scale = (double) src / dst;
    for (int d = 0; d < dst; d++) {
      double f = (d + 0.5) * scale - 0.5;
      int s = (int) Math.floor(f);
      f -= s;
      if (s < 0) {
        s = 0;
        f = 0;
      }
      if (s >= src - 1) {
        s = src - 1;
        f = 0;
      }
      int a0 = (int) Math.rint((1 - f) * ONE); // cvRound: half to even
      index[d] = s;
      weight[d][0] = a0;
      weight[d][1] = ONE - a0;
    }
  }
}
