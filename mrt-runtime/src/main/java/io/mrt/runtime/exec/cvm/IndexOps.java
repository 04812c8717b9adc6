package io.mrt.runtime.exec.cvm;

import java.util.Arrays;
import java.util.function.IntBinaryOperator;

/**
 * Operators that combine or select values by index: the six broadcast_* operators, where, take
 * and cvm_lut.
 */
final class IndexOps {
  private IndexOps() {
  }

  /** numpy broadcasting of two shapes (right-aligned; equal dims or one of them 1). */
  static long[] broadcastShape(long[] l, long[] r, NodeContext ctx) {
    if (Arrays.equals(l, r)) {
      return l.clone();
    }
    int nd = Math.max(l.length, r.length);
    long[] out = new long[nd];
    for (int i = 0; i < nd; i++) {
      long a = i < nd - l.length ? 1 : l[i - (nd - l.length)];
      long b = i < nd - r.length ? 1 : r[i - (nd - r.length)];
      if (a != b && a != 1 && b != 1) {
        throw ctx.fail("operands could not be broadcast together with shapes " + CvmOp.str(l) + " " + CvmOp.str(r));
      }
      out[i] = Math.max(a, b);
    }
    return out;
  }

  /** The strides of {@code in} seen through the broadcast output shape (0 on broadcast dims). */
  static int[] broadcastStrides(int[] in, int[] out) {
    int[] st = new int[out.length];
    int[] ist = ShapeOps.strides(in);
    int off = out.length - in.length;
    for (int i = 0; i < in.length; i++) {
      st[off + i] = in[i] == 1 ? 0 : ist[i];
    }
    return st;
  }

  /** The broadcast_* operators. */
  static final class Broadcast extends CvmOp {
    private final IntBinaryOperator f;

    Broadcast(String name, IntBinaryOperator f) {
      super(name);
      this.f = f;
    }

    @Override
    long[][] inferShape(Attrs a, long[][] in, NodeContext ctx) {
      return new long[][] {broadcastShape(in[0], in[1], ctx)};
    }

    @Override
    Kernel kernel(Attrs a, int[][] in, int[][] out, NodeContext ctx) {
      int[] os = out[0];
      int n = size(os);
      int na = size(in[0]);
      int nb = size(in[1]);
      // a single-element side reads element 0 everywhere (stride 0), as the reference's scalar paths do
      int[] fa = na == 1 ? new int[os.length] : broadcastStrides(in[0], os);
      int[] fb = nb == 1 ? new int[os.length] : broadcastStrides(in[1], os);
      int nd = os.length;
      return (x, y, rc) -> {
        int[] av = x[0];
        int[] bv = x[1];
        int[] c = y[0];
        if (na == n && nb == n) {
          same(av, bv, c, n);
          return;
        }
        // general case (a scalar side has stride 0 everywhere): walk the output index row by row
        // (last dimension), each row one loop with stride 0 or 1 on either side
        int last = os[nd - 1];
        int sa = fa[nd - 1];
        int sb = fb[nd - 1];
        int[] idx = new int[nd];
        int ia = 0;
        int ib = 0;
        for (int i = 0; i < n; i += last) {
          row(av, ia, sa, bv, ib, sb, c, i, last);
          for (int j = nd - 2; j >= 0; j--) {
            ia += fa[j];
            ib += fb[j];
            if (++idx[j] < os[j]) {
              break;
            }
            ia -= fa[j] * os[j];
            ib -= fb[j] * os[j];
            idx[j] = 0;
          }
        }
      };
    }

    /** c[co + i] = f(a[ao + i * sa], b[bo + i * sb]) for i &lt; len, with loops the JIT vectorises for strides 0/1. */
    private void row(int[] a, int ao, int sa, int[] b, int bo, int sb, int[] c, int co, int len) {
      if (sa == 1 && sb == 0) {
        int bv = b[bo];
        switch (name()) {
          case "broadcast_add" -> {
            for (int i = 0; i < len; i++) {
              c[co + i] = a[ao + i] + bv;
            }
          }
          case "broadcast_sub" -> {
            for (int i = 0; i < len; i++) {
              c[co + i] = a[ao + i] - bv;
            }
          }
          case "broadcast_mul" -> {
            for (int i = 0; i < len; i++) {
              c[co + i] = a[ao + i] * bv;
            }
          }
          case "broadcast_max" -> {
            for (int i = 0; i < len; i++) {
              c[co + i] = Math.max(a[ao + i], bv);
            }
          }
          default -> {
            for (int i = 0; i < len; i++) {
              c[co + i] = f.applyAsInt(a[ao + i], bv);
            }
          }
        }
        return;
      }
      for (int i = 0; i < len; i++) {
        c[co + i] = f.applyAsInt(a[ao + i * sa], b[bo + i * sb]);
      }
    }

    /** Equal shapes: one loop per operator so the JIT can inline and vectorise it. */
    private void same(int[] a, int[] b, int[] c, int n) {
      switch (name()) {
        case "broadcast_add":
          for (int i = 0; i < n; i++) {
            c[i] = a[i] + b[i];
          }
          break;
        case "broadcast_sub":
          for (int i = 0; i < n; i++) {
            c[i] = a[i] - b[i];
          }
          break;
        case "broadcast_mul":
          for (int i = 0; i < n; i++) {
            c[i] = a[i] * b[i];
          }
          break;
        case "broadcast_max":
          for (int i = 0; i < n; i++) {
            c[i] = Math.max(a[i], b[i]);
          }
          break;
        default:
          for (int i = 0; i < n; i++) {
            c[i] = f.applyAsInt(a[i], b[i]);
          }
      }
    }
  }

  /**
   * where(cond, x, y): cond != 0 ? x : y. Only a condition of the same shape as x is accepted: the
   * reference kernel for a 1-D condition copies size bytes instead of size elements per row (it
   * leaves three quarters of the output unwritten), so such models are refused at load.
   * Precision quirk kept: the output takes the precision of the condition.
   */
  static final class Where extends CvmOp {
    Where() {
      super("where");
    }

    @Override
    long[][] inferShape(Attrs a, long[][] in, NodeContext ctx) {
      if (!Arrays.equals(in[1], in[2])) {
        throw ctx.fail("x and y must have the same shape: " + str(in[1]) + " vs " + str(in[2]));
      }
      if (!Arrays.equals(in[0], in[1])) {
        if (in[0].length != 1) {
          throw ctx.fail("shape of condition " + str(in[0]) + " must be either equal to x " + str(in[1])
              + " or 1-D");
        }
        throw ctx.fail("a 1-D condition " + str(in[0]) + " with x of shape " + str(in[1]) + " is refused: the "
            + "reference CPU kernel writes only a quarter of each row (memcpy of size bytes), see docs/cvm.md");
      }
      return new long[][] {in[1].clone()};
    }

    @Override
    Kernel kernel(Attrs a, int[][] in, int[][] out, NodeContext ctx) {
      int n = size(out[0]);
      return (x, y, rc) -> {
        int[] c = x[0];
        int[] p = x[1];
        int[] q = x[2];
        int[] r = y[0];
        for (int i = 0; i < n; i++) {
          r[i] = c[i] == 0 ? q[i] : p[i];
        }
      };
    }
  }

  /** take(data, indices, axis): indices clamped to [0, n-1]; never fails. Precision = data's. */
  static final class Take extends CvmOp {
    private static final Attrs.Schema SCHEMA = new Attrs.Schema().noneInt("axis");

    Take() {
      super("take");
    }

    @Override
    Attrs.Schema schema() {
      return SCHEMA;
    }

    @Override
    long[][] inferShape(Attrs a, long[][] in, NodeContext ctx) {
      long[] d = in[0];
      long[] idx = in[1];
      Integer axis = a.opt("axis");
      if (axis == null) {
        return new long[][] {idx.clone()};
      }
      int ndim = d.length;
      range(axis, "take.axis", -ndim, ndim - 1, ctx);
      int ax = axis < 0 ? axis + ndim : axis;
      long[] out = new long[ndim - 1 + idx.length];
      int k = 0;
      for (int i = 0; i < ndim; i++) {
        if (i == ax) {
          for (long v : idx) {
            out[k++] = v;
          }
        } else {
          out[k++] = d[i];
        }
      }
      return new long[][] {out};
    }

    @Override
    Kernel kernel(Attrs a, int[][] in, int[][] out, NodeContext ctx) {
      Integer axis = a.opt("axis");
      int xs = size(in[0]);
      int n = size(out[0]);
      if (axis == null) {
        return (x, y, rc) -> flatTake(x[0], xs, x[1], y[0], n);
      }
      int ndim = in[0].length;
      int ax = axis < 0 ? axis + ndim : axis;
      int outer = 1;
      for (int i = 0; i < ax; i++) {
        outer *= in[0][i];
      }
      int inner = 1;
      for (int i = ax + 1; i < ndim; i++) {
        inner *= in[0][i];
      }
      int dim = in[0][ax];
      int ni = size(in[1]);
      int o = outer;
      int inn = inner;
      return (x, y, rc) -> {
        int[] data = x[0];
        int[] ind = x[1];
        int k = 0;
        for (int r = 0; r < o; r++) {
          for (int j = 0; j < ni; j++) {
            int v = Math.min(Math.max(ind[j], 0), dim - 1);
            System.arraycopy(data, (r * dim + v) * inn, y[0], k, inn);
            k += inn;
          }
        }
      };
    }

    static void flatTake(int[] data, int xs, int[] ind, int[] y, int n) {
      for (int i = 0; i < n; i++) {
        y[i] = data[Math.min(Math.max(ind[i], 0), xs - 1)];
      }
    }
  }

  /** cvm_lut(indices, table): y = table_flat[clamp(x, 0, size-1)]; precision = the table's. */
  static final class CvmLut extends CvmOp {
    private static final Attrs.Schema SCHEMA = new Attrs.Schema().reqInt("in_dim");

    CvmLut() {
      super("cvm_lut");
    }

    @Override
    Attrs.Schema schema() {
      return SCHEMA;
    }

    @Override
    long[][] inferShape(Attrs a, long[][] in, NodeContext ctx) {
      if (size(in[1]) != a.i("in_dim")) {
        throw ctx.fail("attribute in_dim " + a.i("in_dim") + " must equal the table size " + size(in[1])
            + " (table shape " + str(in[1]) + ")");
      }
      return new long[][] {in[0].clone()};
    }

    @Override
    Kernel kernel(Attrs a, int[][] in, int[][] out, NodeContext ctx) {
      int ts = size(in[1]);
      int n = size(out[0]);
      return (x, y, rc) -> Take.flatTake(x[1], ts, x[0], y[0], n);
    }
  }
}
