package io.mrt.runtime.exec.cvm;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Operators that move data without arithmetic: flatten, reshape, expand_dims, squeeze,
 * transpose, strided_slice, concatenate, repeat, tile, slice_like and upsampling. Shape rules and
 * kernels follow the reference runtime, including its quirks (see docs/cvm.md).
 */
final class ShapeOps {
  private ShapeOps() {
  }

  /** Ops whose kernel is a plain copy (or nothing when the output shares the input's storage). */
  abstract static class Copy extends CvmOp {
    Copy(String name) {
      super(name);
    }

    @Override
    Kernel kernel(Attrs a, int[][] in, int[][] out, NodeContext ctx) {
      int n = size(in[0]);
      return (x, y, rc) -> {
        if (x[0] != y[0]) {
          System.arraycopy(x[0], 0, y[0], 0, n);
        }
      };
    }
  }

  static final class Flatten extends Copy {
    Flatten() {
      super("flatten");
    }

    @Override
    long[][] inferShape(Attrs a, long[][] in, NodeContext ctx) {
      long rest = 1;
      for (int i = 1; i < in[0].length; i++) {
        rest *= in[0][i];
      }
      return new long[][] {{in[0][0], rest}};
    }
  }

  /**
   * reshape with the MXNet codes 0, -1, -2, -3, -4. Quirk kept: the position of -1 is its index in
   * the target list, not in the output, so a -1 after -2 or -4 fills the wrong dimension (and the
   * size check then usually refuses the model).
   */
  static final class Reshape extends Copy {
    private static final Attrs.Schema SCHEMA = new Attrs.Schema().reqTuple("shape");

    Reshape() {
      super("reshape");
    }

    @Override
    Attrs.Schema schema() {
      return SCHEMA;
    }

    @Override
    long[][] inferShape(Attrs a, long[][] in, NodeContext ctx) {
      long[] target = a.t("shape");
      long[] d = in[0];
      if (target.length == 0) {
        throw ctx.fail("attribute shape must not be empty");
      }
      List<Long> o = new ArrayList<>();
      int src = 0;
      int infer = -1;
      for (int i = 0; i < target.length; i++) {
        long v = target[i];
        if (v > 0) {
          o.add(v);
          src++;
        } else if (v == 0) {
          if (src >= d.length) {
            throw ctx.fail("reshape code 0 at position " + i + " has no input dimension left in " + str(d));
          }
          o.add(d[src++]);
        } else if (v == -1) {
          if (infer >= 0) {
            throw ctx.fail("reshape: only one dimension can be -1");
          }
          infer = i;
          o.add(1L);
          src++;
        } else if (v == -2) {
          while (src < d.length) {
            o.add(d[src++]);
          }
        } else if (v == -3) {
          if (src + 1 >= d.length) {
            throw ctx.fail("reshape code -3 at position " + i + " needs two input dimensions, " + str(d)
                + " has " + (d.length - src));
          }
          o.add(d[src] * d[src + 1]);
          src += 2;
        } else if (v == -4) {
          if (i + 2 >= target.length || src >= d.length) {
            throw ctx.fail("reshape code -4 at position " + i + " needs two following values and an input dimension");
          }
          long d0 = d[src++];
          long d1 = (int) target[++i];
          long d2 = (int) target[++i];
          if (d1 == -1 && d2 == -1) {
            throw ctx.fail("reshape -4: split dims cannot both be -1");
          }
          if ((d1 == -1 && d2 == 0) || (d2 == -1 && d1 == 0)) {
            throw ctx.fail("reshape -4: split dims " + d1 + ", " + d2 + " divide by zero");
          }
          if (d1 == -1) {
            d1 = d0 / d2;
          }
          if (d2 == -1) {
            d2 = d0 / d1;
          }
          if (d1 * d2 != d0) {
            throw ctx.fail("reshape -4: split dims " + d1 + ", " + d2 + " do not divide dimension " + d0);
          }
          o.add(d1);
          o.add(d2);
        } else {
          throw ctx.fail("reshape: invalid code " + v + " at position " + i);
        }
      }
      if (infer >= 0) {
        if (infer >= o.size()) {
          throw ctx.fail("reshape: the -1 at target position " + infer + " is beyond the " + o.size()
              + " output dimensions (undefined in the reference runtime)");
        }
        long prod = 1;
        for (long x : o) {
          prod *= x;
        }
        if (prod == 0) {
          throw ctx.fail("reshape: cannot infer -1 with a zero dimension");
        }
        o.set(infer, size(d) / prod);
      }
      long[] out = o.stream().mapToLong(Long::longValue).toArray();
      if (size(out) != size(d)) {
        throw ctx.fail("reshape target shape size is different to source: target " + str(out) + ", source "
            + str(d));
      }
      return new long[][] {out};
    }
  }

  static final class ExpandDims extends Copy {
    private static final Attrs.Schema SCHEMA = new Attrs.Schema().reqInt("axis").optInt("num_newaxis", 1);

    ExpandDims() {
      super("expand_dims");
    }

    @Override
    Attrs.Schema schema() {
      return SCHEMA;
    }

    @Override
    long[][] inferShape(Attrs a, long[][] in, NodeContext ctx) {
      int ndim = in[0].length;
      range(a.i("axis"), "expand_dims.axis", -ndim - 1, ndim, ctx);
      range(a.i("num_newaxis"), "expand_dims.num_newaxis", 1, 4096, ctx);
      int axis = a.i("axis") < 0 ? ndim + a.i("axis") + 1 : a.i("axis");
      long[] out = new long[ndim + a.i("num_newaxis")];
      int k = 0;
      for (int i = 0; i < axis; i++) {
        out[k++] = in[0][i];
      }
      for (int i = 0; i < a.i("num_newaxis"); i++) {
        out[k++] = 1;
      }
      for (int i = axis; i < ndim; i++) {
        out[k++] = in[0][i];
      }
      return new long[][] {out};
    }
  }

  static final class Squeeze extends Copy {
    private static final Attrs.Schema SCHEMA = new Attrs.Schema().tuple("axis");

    Squeeze() {
      super("squeeze");
    }

    @Override
    Attrs.Schema schema() {
      return SCHEMA;
    }

    @Override
    long[][] inferShape(Attrs a, long[][] in, NodeContext ctx) {
      long[] s = in[0];
      int ndim = s.length;
      List<Long> o = new ArrayList<>();
      long[] axis = a.t("axis");
      if (axis.length == 0) {
        for (long d : s) {
          if (d != 1) {
            o.add(d);
          }
        }
      } else {
        Set<Long> chosen = new HashSet<>();
        for (long ax : axis) {
          range(ax, "squeeze.axis", -ndim, ndim - 1, ctx);
          chosen.add(ax < 0 ? ax + ndim : ax);
        }
        for (int i = 0; i < ndim; i++) {
          if (!chosen.contains((long) i)) {
            o.add(s[i]);
          } else if (s[i] != 1) {
            throw ctx.fail("the squeezed axis " + i + " must have size 1, found " + s[i] + " in " + str(s));
          }
        }
      }
      if (o.isEmpty()) {
        o.add(1L);
      }
      return new long[][] {o.stream().mapToLong(Long::longValue).toArray()};
    }
  }

  /** transpose: general gather (the reference's fast path for axes (1,2,0) gives the same values). */
  static final class Transpose extends CvmOp {
    private static final Attrs.Schema SCHEMA = new Attrs.Schema().tuple("axes");

    Transpose() {
      super("transpose");
    }

    @Override
    Attrs.Schema schema() {
      return SCHEMA;
    }

    @Override
    long[][] inferShape(Attrs a, long[][] in, NodeContext ctx) {
      long[] s = in[0];
      int ndim = s.length;
      long[] axes = a.t("axes");
      long[] out = new long[ndim];
      if (axes.length == 0) {
        for (int i = 0; i < ndim; i++) {
          out[i] = s[ndim - 1 - i];
        }
        return new long[][] {out};
      }
      if (axes.length != ndim) {
        throw ctx.fail("transpose axes " + str(axes) + " must have " + ndim + " entries for input " + str(s));
      }
      long[] norm = new long[ndim];
      for (int i = 0; i < ndim; i++) {
        range(axes[i], "transpose.axis", -ndim, ndim - 1, ctx);
        norm[i] = axes[i] < 0 ? axes[i] + ndim : axes[i];
      }
      for (int i = 0; i < ndim; i++) {
        for (int j = 0; j < ndim; j++) {
          if (i != j && norm[i] == norm[j]) {
            throw ctx.fail("repeated axis in transpose axes " + str(axes));
          }
        }
        out[i] = s[(int) norm[i]];
      }
      return new long[][] {out};
    }

    @Override
    Kernel kernel(Attrs a, int[][] in, int[][] out, NodeContext ctx) {
      int[] xs = in[0];
      int ndim = xs.length;
      int[] perm = new int[ndim];
      long[] axes = a.t("axes");
      for (int i = 0; i < ndim; i++) {
        perm[i] = axes.length == 0 ? ndim - 1 - i : (int) (axes[i] < 0 ? axes[i] + ndim : axes[i]);
      }
      int[] xstride = strides(xs);
      int[] ys = out[0];
      int n = size(ys);
      int[] srcStride = new int[ndim];
      for (int j = 0; j < ndim; j++) {
        srcStride[j] = xstride[perm[j]];
      }
      return (x, y, rc) -> gather(x[0], y[0], ys, srcStride, 0, n);
    }
  }

  static int[] strides(int[] shape) {
    int[] st = new int[shape.length];
    int s = 1;
    for (int i = shape.length - 1; i >= 0; i--) {
      st[i] = s;
      s *= shape[i];
    }
    return st;
  }

  /** y[i] = x[base + sum(coord_j(i) * srcStride[j])] over the output shape {@code ys}. */
  static void gather(int[] x, int[] y, int[] ys, int[] srcStride, int base, int n) {
    int nd = ys.length;
    int[] idx = new int[nd];
    int off = base;
    for (int i = 0; i < n; i++) {
      y[i] = x[off];
      for (int j = nd - 1; j >= 0; j--) {
        idx[j]++;
        off += srcStride[j];
        if (idx[j] < ys[j]) {
          break;
        }
        off -= srcStride[j] * ys[j];
        idx[j] = 0;
      }
    }
  }

  /**
   * strided_slice: missing begin = 0, end = dim, stride = 1; negative values count from the end;
   * begin and end are clamped to [0, dim] ([-1, dim-1] for negative strides). The kernel uses only
   * begin and stride.
   */
  static final class StridedSlice extends CvmOp {
    private static final Attrs.Schema SCHEMA = new Attrs.Schema().tuple("begin", 0).tuple("end", 1).tuple("stride");

    StridedSlice() {
      super("strided_slice");
    }

    @Override
    Attrs.Schema schema() {
      return SCHEMA;
    }

    @Override
    long[][] inferShape(Attrs a, long[][] in, NodeContext ctx) {
      long[] d = in[0];
      long[] out = d.clone();
      long[] begin = a.t("begin");
      long[] end = a.t("end");
      long[] stride = a.t("stride");
      for (int i = 0; i < d.length; i++) {
        long st = i < stride.length ? stride[i] : 1;
        if (st == 0) {
          throw ctx.fail("strided_slice stride must not be 0 on axis " + i);
        }
        long b0 = i < begin.length ? begin[i] : 0;
        long e0 = i < end.length ? end[i] : d[i];
        long lo = st < 0 ? -1 : 0;
        long hi = st < 0 ? d[i] - 1 : d[i];
        long b = Math.min(Math.max(b0 < 0 ? d[i] + b0 : b0, lo), hi);
        long e = Math.min(Math.max(e0 < 0 ? d[i] + e0 : e0, lo), hi);
        if (st < 0 ? !(e < b) : !(b < e)) {
          throw ctx.fail("strided_slice input [begin=" + b0 + ", end=" + e0 + "] is invalid for axis " + i
              + " with stride " + st);
        }
        long interval = Math.abs(e - b);
        out[i] = (interval + Math.abs(st) - 1) / Math.abs(st);
      }
      return new long[][] {out};
    }

    @Override
    Kernel kernel(Attrs a, int[][] in, int[][] out, NodeContext ctx) {
      int[] d = in[0];
      long[] begin = a.t("begin");
      long[] stride = a.t("stride");
      int[] xst = strides(d);
      int[] srcStride = new int[d.length];
      int base = 0;
      for (int i = 0; i < d.length; i++) {
        long st = i < stride.length ? stride[i] : 1;
        long b0 = i < begin.length ? begin[i] : 0;
        long lo = st < 0 ? -1 : 0;
        long hi = st < 0 ? d[i] - 1 : d[i];
        long b = Math.min(Math.max(b0 < 0 ? d[i] + b0 : b0, lo), hi);
        base += (int) (b * xst[i]);
        srcStride[i] = (int) (st * xst[i]);
      }
      int[] ys = out[0];
      int n = size(ys);
      int b = base;
      return (x, y, rc) -> gather(x[0], y[0], ys, srcStride, b, n);
    }
  }

  /** concatenate: any number of inputs, equal ndim, equal dims except axis; precision = max. */
  static final class Concatenate extends CvmOp {
    private static final Attrs.Schema SCHEMA = new Attrs.Schema().optInt("axis", 1);

    Concatenate() {
      super("concatenate");
    }

    @Override
    Attrs.Schema schema() {
      return SCHEMA;
    }

    @Override
    long[][] inferShape(Attrs a, long[][] in, NodeContext ctx) {
      if (in.length == 0) {
        throw ctx.fail("concatenate needs at least one input");
      }
      int ndim = in[0].length;
      range(a.i("axis"), "concatenate.axis", -ndim, ndim - 1, ctx);
      int axis = a.i("axis") < 0 ? ndim + a.i("axis") : a.i("axis");
      long[] out = in[0].clone();
      long sum = 0;
      for (int i = 0; i < in.length; i++) {
        if (in[i].length != ndim) {
          throw ctx.fail("input " + i + " has " + in[i].length + " dimensions, input 0 has " + ndim);
        }
        for (int j = 0; j < ndim; j++) {
          if (j != axis && in[i][j] != out[j]) {
            throw ctx.fail("input " + i + " shape " + str(in[i]) + " differs from " + str(in[0])
                + " outside axis " + axis);
          }
        }
        sum += in[i][axis];
      }
      out[axis] = sum;
      return new long[][] {out};
    }

    @Override
    Kernel kernel(Attrs a, int[][] in, int[][] out, NodeContext ctx) {
      int ndim = in[0].length;
      int axis = a.i("axis") < 0 ? ndim + a.i("axis") : a.i("axis");
      int[] os = out[0];
      int outer = 1;
      for (int i = 0; i < axis; i++) {
        outer *= os[i];
      }
      int inner = 1;
      for (int i = axis + 1; i < ndim; i++) {
        inner *= os[i];
      }
      int yAxis = os[axis] * inner;
      int[] chunk = new int[in.length];
      for (int m = 0; m < in.length; m++) {
        chunk[m] = in[m][axis] * inner;
      }
      int rows = outer;
      return (x, y, rc) -> {
        int start = 0;
        for (int m = 0; m < x.length; m++) {
          for (int r = 0; r < rows; r++) {
            System.arraycopy(x[m], r * chunk[m], y[0], r * yAxis + start, chunk[m]);
          }
          start += chunk[m];
        }
      };
    }
  }

  /** repeat: each element repeated consecutively along axis. */
  static final class Repeat extends CvmOp {
    private static final Attrs.Schema SCHEMA = new Attrs.Schema().reqInt("repeats").optInt("axis", 0);

    Repeat() {
      super("repeat");
    }

    @Override
    Attrs.Schema schema() {
      return SCHEMA;
    }

    @Override
    long[][] inferShape(Attrs a, long[][] in, NodeContext ctx) {
      int ndim = in[0].length;
      if (a.i("repeats") <= 0) {
        throw ctx.fail("repeats " + a.i("repeats") + " must be greater than 0");
      }
      range(a.i("axis"), "repeat.axis", -ndim, ndim - 1, ctx);
      int axis = a.i("axis") < 0 ? ndim + a.i("axis") : a.i("axis");
      long[] out = in[0].clone();
      out[axis] *= a.i("repeats");
      return new long[][] {out};
    }

    @Override
    Kernel kernel(Attrs a, int[][] in, int[][] out, NodeContext ctx) {
      int ndim = in[0].length;
      int axis = a.i("axis") < 0 ? ndim + a.i("axis") : a.i("axis");
      int rep = a.i("repeats");
      int outer = 1;
      for (int i = 0; i < axis; i++) {
        outer *= in[0][i];
      }
      int inner = 1;
      for (int i = axis + 1; i < ndim; i++) {
        inner *= in[0][i];
      }
      int dim = in[0][axis];
      int o = outer;
      int in1 = inner;
      return (x, y, rc) -> {
        int k = 0;
        for (int r = 0; r < o; r++) {
          for (int i = 0; i < dim; i++) {
            int src = (r * dim + i) * in1;
            for (int t = 0; t < rep; t++) {
              System.arraycopy(x[0], src, y[0], k, in1);
              k += in1;
            }
          }
        }
      };
    }
  }

  /** tile: right-aligned repetition; reps is required in effect (default (0) fails the check). */
  static final class Tile extends CvmOp {
    private static final Attrs.Schema SCHEMA = new Attrs.Schema().tuple("reps", 0);

    Tile() {
      super("tile");
    }

    @Override
    Attrs.Schema schema() {
      return SCHEMA;
    }

    @Override
    long[][] inferShape(Attrs a, long[][] in, NodeContext ctx) {
      long[] s = in[0];
      long[] reps = a.t("reps");
      if (reps.length == 0) {
        throw ctx.fail("tile: repetition array is not defined");
      }
      for (long r : reps) {
        range(r, "tile.reps", 1, 4096, ctx);
      }
      int odim = Math.max(s.length, reps.length);
      long[] out = new long[odim];
      for (int i = 0; i < odim; i++) {
        long sd = i < s.length ? s[s.length - 1 - i] : 1;
        long rd = i < reps.length ? reps[reps.length - 1 - i] : 1;
        out[odim - 1 - i] = sd * rd;
      }
      return new long[][] {out};
    }

    @Override
    Kernel kernel(Attrs a, int[][] in, int[][] out, NodeContext ctx) {
      int[] xs = in[0];
      int[] ys = out[0];
      int nd = ys.length;
      int off = nd - xs.length;
      int[] xst = strides(xs);
      int n = size(ys);
      int[] yIn = Arrays.copyOfRange(ys, off, nd);
      return (x, y, rc) -> {
        int[] idx = new int[nd];
        for (int i = 0; i < n; i++) {
          int src = 0;
          for (int j = 0; j < yIn.length; j++) {
            src += (idx[off + j] % xs[j]) * xst[j];
          }
          y[0][i] = x[0][src];
          for (int j = nd - 1; j >= 0; j--) {
            if (++idx[j] < ys[j]) {
              break;
            }
            idx[j] = 0;
          }
        }
      };
    }
  }

  /** slice_like: the leading corner of data, with the dims taken from shape_like. */
  static final class SliceLike extends CvmOp {
    private static final Attrs.Schema SCHEMA = new Attrs.Schema().tuple("axis");

    SliceLike() {
      super("slice_like");
    }

    @Override
    Attrs.Schema schema() {
      return SCHEMA;
    }

    @Override
    long[][] inferShape(Attrs a, long[][] in, NodeContext ctx) {
      long[] src = in[0];
      long[] like = in[1];
      long[] out = src.clone();
      long[] axis = a.t("axis");
      if (axis.length == 0) {
        if (src.length != like.length) {
          throw ctx.fail("slice_like without axis needs inputs of equal ndim, found " + str(src) + " and "
              + str(like));
        }
        for (int i = 0; i < src.length; i++) {
          out[i] = like[i];
          if (out[i] > src[i]) {
            throw ctx.fail("end index of axis " + i + " exceeds input shape: " + out[i] + " vs " + src[i]);
          }
        }
      } else {
        for (long ax : axis) {
          range(ax, "slice_like.axis", -src.length, like.length - 1, ctx);
          int i = (int) (ax < 0 ? src.length + ax : ax);
          if (i >= src.length || i >= like.length) {
            throw ctx.fail("slice_like axis " + ax + " is out of range for " + str(src) + " and " + str(like));
          }
          out[i] = like[i];
          if (out[i] > src[i]) {
            throw ctx.fail("end index of axis " + i + " exceeds input shape: " + out[i] + " vs " + src[i]);
          }
        }
      }
      return new long[][] {out};
    }

    @Override
    Kernel kernel(Attrs a, int[][] in, int[][] out, NodeContext ctx) {
      int[] ys = out[0];
      int[] st = strides(in[0]);
      int n = size(ys);
      return (x, y, rc) -> gather(x[0], y[0], ys, st, 0, n);
    }
  }

  /** upsampling (nearest neighbour, NCHW): y[h, w] = x[h / s, w / s]. */
  static final class Upsampling extends CvmOp {
    private static final Attrs.Schema SCHEMA = new Attrs.Schema().reqInt("scale").str("layout", "NCHW")
        .str("method", "NEAREST_NEIGHBOR");

    Upsampling() {
      super("upsampling");
    }

    @Override
    Attrs.Schema schema() {
      return SCHEMA;
    }

    @Override
    long[][] inferShape(Attrs a, long[][] in, NodeContext ctx) {
      checkNdim(in[0], 4, "upsampling input", ctx);
      if (!"NCHW".equals(a.s("layout"))) {
        throw ctx.fail("upsampling layout must be NCHW, found " + a.s("layout"));
      }
      if (!"NEAREST_NEIGHBOR".equals(a.s("method"))) {
        throw ctx.fail("upsampling method must be NEAREST_NEIGHBOR, found " + a.s("method"));
      }
      range(a.i("scale"), "upsampling.scale", 1, Integer.MAX_VALUE, ctx);
      long s = a.i("scale");
      long[] d = in[0];
      return new long[][] {{d[0], d[1], d[2] * s, d[3] * s}};
    }

    @Override
    Kernel kernel(Attrs a, int[][] in, int[][] out, NodeContext ctx) {
      int s = a.i("scale");
      int planes = in[0][0] * in[0][1];
      int h = in[0][2];
      int w = in[0][3];
      int oh = out[0][2];
      int ow = out[0][3];
      return (x, y, rc) -> {
        for (int p = 0; p < planes; p++) {
          int xo = p * h * w;
          int yo = p * oh * ow;
          for (int i = 0; i < oh; i++) {
            for (int j = 0; j < ow; j++) {
              y[0][yo + i * ow + j] = x[0][xo + (i / s) * w + j / s];
            }
          }
        }
      };
    }
  }
}
