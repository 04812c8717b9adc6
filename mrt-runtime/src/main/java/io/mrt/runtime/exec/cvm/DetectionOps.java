package io.mrt.runtime.exec.cvm;

import java.util.Arrays;

/**
 * get_valid_counts and non_max_suppression with the reference CPU kernels, including their quirks:
 * non_max_suppression writes -1 into the rows of its input beyond top_k, and stops at the first
 * batch whose valid count is {@code <= 0} (later batches of the output are left as they were).
 */
final class DetectionOps {
  private DetectionOps() {
  }

  static final class GetValidCounts extends CvmOp {
    private static final Attrs.Schema SCHEMA = new Attrs.Schema().optInt("score_threshold", 0);

    GetValidCounts() {
      super("get_valid_counts");
    }

    @Override
    Attrs.Schema schema() {
      return SCHEMA;
    }

    @Override
    long[][] inferShape(Attrs a, long[][] in, NodeContext ctx) {
      long[] s = in[0];
      checkNdim(s, 3, "get_valid_counts data", ctx);
      if (s[2] < 2 || s[2] >= 32) {
        throw ctx.fail("get_valid_counts data must have 2 <= shape[2] < 32, found " + str(s));
      }
      return new long[][] {{s[0]}, s.clone()};
    }

    @Override
    int gasOutput() {
      return 1;
    }

    @Override
    Kernel kernel(Attrs a, int[][] in, int[][] out, NodeContext ctx) {
      int batches = in[0][0];
      int n = in[0][1];
      int k = in[0][2];
      int thr = a.i("score_threshold");
      return (x, y, rc) -> {
        int[] xv = x[0];
        int[] count = y[0];
        int[] yv = y[1];
        for (int b = 0; b < batches; b++) {
          int base = b * n * k;
          int yi = 0;
          for (int j = 0; j < n; j++) {
            int row = base + j * k;
            if (xv[row + 1] > thr) {
              System.arraycopy(xv, row, yv, base + yi * k, k);
              yi++;
            }
          }
          count[b] = yi;
          Arrays.fill(yv, base + yi * k, base + n * k, -1);
        }
      };
    }
  }

  static final class Nms extends CvmOp {
    private static final Attrs.Schema SCHEMA = new Attrs.Schema().optInt("max_output_size", -1)
        .optInt("iou_threshold", 50).bool("force_suppress", false).optInt("top_k", -1).optInt("coord_start", 2)
        .optInt("score_index", 1).optInt("id_index", 0).bool("return_indices", false)
        .bool("invalid_to_bottom", true);

    Nms() {
      super("non_max_suppression");
    }

    @Override
    Attrs.Schema schema() {
      return SCHEMA;
    }

    @Override
    boolean mutatesInput0() {
      return true;
    }

    @Override
    boolean mayLeaveOutputUnwritten() {
      return true;
    }

    @Override
    long[][] inferShape(Attrs a, long[][] in, NodeContext ctx) {
      long[] d = in[0];
      long[] v = in[1];
      checkNdim(d, 3, "non_max_suppression data", ctx);
      checkNdim(v, 1, "non_max_suppression valid_count", ctx);
      if (d[2] != 6) {
        throw ctx.fail("non_max_suppression data must have shape (batch, anchors, 6), found " + str(d));
      }
      if (d[0] != v[0]) {
        throw ctx.fail("batch size mismatch: data " + str(d) + ", valid_count " + str(v));
      }
      if (a.i("coord_start") != 2 || a.i("score_index") != 1 || a.i("id_index") != 0) {
        throw ctx.fail("non_max_suppression needs coord_start=2, score_index=1, id_index=0, found "
            + a.i("coord_start") + ", " + a.i("score_index") + ", " + a.i("id_index"));
      }
      if (a.i("iou_threshold") <= 0) {
        throw ctx.fail("iou_threshold must be > 0, found " + a.i("iou_threshold"));
      }
      if (a.b("return_indices")) {
        throw ctx.fail("non_max_suppression only supports return_indices=false");
      }
      if (!a.b("invalid_to_bottom")) {
        throw ctx.fail("non_max_suppression only supports invalid_to_bottom=true");
      }
      return new long[][] {d.clone()};
    }

    @Override
    long gasBase(Attrs a, long[][] in, long[][] out) {
      return in[0][0] * 20;
    }

    @Override
    Kernel kernel(Attrs a, int[][] in, int[][] out, NodeContext ctx) {
      int batches = in[0][0];
      int n = in[0][1];
      int k = in[0][2];
      int maxOut = a.i("max_output_size");
      int iouThr = a.i("iou_threshold");
      int topk = a.i("top_k");
      boolean force = a.b("force_suppress");
      final int coord = 2;
      final int score = 1;
      final int id = 0;
      return (x, y, rc) -> {
        int[] xv = x[0];
        int[] vc = x[1];
        int[] yv = y[0];
        for (int b = 0; b < batches; b++) {
          int count = vc[b];
          int xb = b * n * k;
          int yb = b * n * k;
          if (count > n) {
            throw ctx.runFail("valid_count[" + b + "] = " + count + " exceeds the " + n
                + " anchors (the reference runtime fails here too)");
          }
          if (count <= 0) {
            Arrays.fill(yv, yb, yb + n * k, -1);
            return;
          }
          Integer[] rows = new Integer[count];
          for (int i = 0; i < count; i++) {
            rows[i] = xb + i * k;
          }
          // stable sort by score, descending (Arrays.sort on objects is a stable merge sort)
          Arrays.sort(rows, (p, q) -> Integer.compare(xv[q + score], xv[p + score]));
          if (topk > 0 && topk < count) {
            for (int i = 0; i < count - topk; i++) {
              Arrays.fill(xv, rows[i + topk], rows[i + topk] + k, -1);
            }
          }
          boolean[] removed = new boolean[n];
          int keep = topk >= 0 && topk < count ? topk : count;
          for (int i = keep; i < count; i++) {
            removed[i] = true;
          }
          int yi = 0;
          for (int i = 0; i < keep; i++) {
            int r1 = rows[i];
            if (!removed[i] && xv[r1] >= 0) {
              System.arraycopy(xv, r1, yv, yb + yi * k, k);
              yi++;
            }
            for (int j = i + 1; j < keep && !removed[i] && xv[rows[j]] >= 0; j++) {
              int r2 = rows[j];
              if (force || xv[r1 + id] == xv[r2 + id]) {
                if (iou(xv, r1 + coord, r2 + coord) >= iouThr) {
                  removed[j] = true;
                }
              }
            }
          }
          if (yi < n) {
            Arrays.fill(yv, yb + yi * k, yb + n * k, -1);
          }
          if (maxOut > 0) {
            int j = 0;
            for (int i = 0; i < count; i++) {
              if (yv[yb + i * k] >= 0) {
                if (j == maxOut) {
                  Arrays.fill(yv, yb + i * k, yb + (i + 1) * k, -1);
                } else {
                  j++;
                }
              }
            }
          }
        }
      };
    }

    /** IoU x 100 of two corner boxes, in int64 as the reference computes it. */
    static long iou(int[] v, int r1, int r2) {
      int x1min = v[r1];
      int y1min = v[r1 + 1];
      int x1max = v[r1 + 2];
      int y1max = v[r1 + 3];
      int x2min = v[r2];
      int y2min = v[r2 + 1];
      int x2max = v[r2 + 2];
      int y2max = v[r2 + 3];
      long sum = (long) (x1max - x1min) * (y1max - y1min) + (long) (x2max - x2min) * (y2max - y2min);
      if (sum <= 0) {
        return 0;
      }
      int w = Math.max(0, Math.min(x1max, x2max) - Math.max(x1min, x2min));
      int h = Math.max(0, Math.min(y1max, y2max) - Math.max(y1min, y2min));
      long overlap = (long) h * w;
      long tmp = sum - overlap;
      if (tmp <= 0) {
        return 0;
      }
      if (Long.MAX_VALUE / 100 < overlap) {
        tmp /= 100;
      } else {
        overlap *= 100;
      }
      return overlap / tmp;
    }
  }
}
