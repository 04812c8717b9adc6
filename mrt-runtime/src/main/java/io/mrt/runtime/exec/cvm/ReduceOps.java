package io.mrt.runtime.exec.cvm;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * sum and max. The kernel reproduces the reference runtime's index mapping exactly, including two
 * quirks: {@code max} with an empty {@code axis} (and no {@code exclude}) starts its accumulator at
 * 0, and the output index is mapped to the input by skipping every size-1 output dimension, which
 * misplaces values when a kept input dimension of size 1 follows a reduced one (see docs/cvm.md).
 */
final class ReduceOps {
  private ReduceOps() {
  }

  private static final Attrs.Schema SCHEMA = new Attrs.Schema().tuple("axis").bool("keepdims", false)
      .bool("exclude", false).dtype("dtype", "int32");

  static final class Reduce extends CvmOp {
    private final boolean isSum;

    Reduce(String name, boolean isSum) {
      super(name);
      this.isSum = isSum;
    }

    @Override
    Attrs.Schema schema() {
      return SCHEMA;
    }

    /** GetReduceAxes: the reduced axes, sorted. */
    private static int[] reduceAxes(int ndim, long[] axis, boolean exclude, NodeContext ctx) {
      if (axis.length == 0) {
        int[] all = new int[ndim];
        for (int i = 0; i < ndim; i++) {
          all[i] = i;
        }
        return all;
      }
      long[] in = new long[axis.length];
      for (int i = 0; i < axis.length; i++) {
        in[i] = axis[i] < 0 ? axis[i] + ndim : axis[i];
        range(in[i], "reduce.axis", 0, ndim - 1, ctx);
      }
      Arrays.sort(in);
      for (int i = 0; i + 1 < in.length; i++) {
        if (in[i] == in[i + 1]) {
          throw ctx.fail("duplicate axis " + in[i] + " in " + str(axis));
        }
      }
      if (!exclude) {
        return Arrays.stream(in).mapToInt(v -> (int) v).toArray();
      }
      List<Integer> r = new ArrayList<>();
      for (int i = 0, j = 0; i < ndim; i++) {
        if (j < in.length && i == in[j]) {
          j++;
          continue;
        }
        r.add(i);
      }
      return r.stream().mapToInt(Integer::intValue).toArray();
    }

    @Override
    long[][] inferShape(Attrs a, long[][] in, NodeContext ctx) {
      long[] s = in[0];
      int ndim = s.length;
      int[] r = reduceAxes(ndim, a.t("axis"), a.b("exclude"), ctx);
      boolean keep = a.b("keepdims");
      if (r.length == 0) {
        return new long[][] {s.clone()};
      }
      if (r.length == ndim) {
        long[] out = new long[keep ? ndim : 1];
        Arrays.fill(out, 1);
        return new long[][] {out};
      }
      if (keep) {
        long[] out = s.clone();
        for (int ax : r) {
          out[ax] = 1;
        }
        return new long[][] {out};
      }
      long[] out = new long[ndim - r.length];
      for (int i = 0, j = 0, k = 0; i < ndim; i++) {
        if (j < r.length && i == r[j]) {
          j++;
          continue;
        }
        out[k++] = s[i];
      }
      return new long[][] {out};
    }

    @Override
    long gasBase(Attrs a, long[][] in, long[][] out) {
      return isSum ? size(in[0]) / size(out[0]) : 1;
    }

    @Override
    Kernel kernel(Attrs a, int[][] in, int[][] out, NodeContext ctx) {
      int[] xs = in[0];
      int ndim = xs.length;
      boolean exclude = a.b("exclude");
      long[] sorted = a.t("axis").clone();
      Arrays.sort(sorted);
      // GetRealAxis
      List<Integer> real = new ArrayList<>();
      long[] norm = new long[sorted.length];
      for (int i = 0; i < sorted.length; i++) {
        norm[i] = sorted[i] < 0 ? sorted[i] + ndim : sorted[i];
      }
      if (!exclude) {
        for (long v : norm) {
          real.add((int) v);
        }
      } else {
        for (int i = 0; i < ndim; i++) {
          boolean found = false;
          for (long v : norm) {
            if (v == i) {
              found = true;
              break;
            }
          }
          if (!found) {
            real.add(i);
          }
        }
      }
      int xsize = size(xs);
      boolean sum = isSum;
      if (exclude && real.isEmpty()) {
        return (x, y, rc) -> System.arraycopy(x[0], 0, y[0], 0, xsize);
      }
      if (real.isEmpty()) {
        return (x, y, rc) -> {
          int tmp = 0;
          int[] v = x[0];
          for (int i = 0; i < xsize; i++) {
            tmp = sum ? tmp + v[i] : Math.max(tmp, v[i]);
          }
          y[0][0] = tmp;
        };
      }
      boolean[] flag = new boolean[ndim];
      for (int v : real) {
        flag[v] = true;
      }
      int[] raxis = real.stream().mapToInt(Integer::intValue).sorted().toArray();
      int axisProduct = 1;
      for (int v : raxis) {
        axisProduct *= xs[v];
      }
      final int axisSize = axisProduct;
      int[] every = ShapeOps.strides(xs);
      int[] ys = out[0];
      int[] yshape = Arrays.stream(ys).filter(d -> d != 1).toArray();
      int yndim = yshape.length;
      int ysize = size(ys);
      // precompute the base input index of every output element and the offsets of the reduced axes
      int[] base = new int[ysize];
      for (int i = 0; i < ysize; i++) {
        int inI = 0;
        int oi = i;
        int xj = ndim - 1;
        for (int j = yndim - 1; j >= 0; j--) {
          int col = oi % yshape[j];
          oi /= yshape[j];
          while (xj >= 0 && flag[xj--]) {
            // skip reduced axes (and stop after the first kept one), as the reference does
          }
          inI += col * every[xj + 1];
        }
        base[i] = inI;
      }
      int[] offs = new int[axisSize];
      for (int xi = 0; xi < axisSize; xi++) {
        int oi = xi;
        int t = 0;
        for (int j = raxis.length - 1; j >= 0; j--) {
          int col = oi % xs[raxis[j]];
          oi /= xs[raxis[j]];
          t += col * every[raxis[j]];
        }
        offs[xi] = t;
      }
      int maxOff = 0;
      for (int o : offs) {
        maxOff = Math.max(maxOff, o);
      }
      for (int i = 0; i < ysize; i++) {
        if (base[i] + maxOff >= xsize) {
          throw ctx.fail("the reference kernel's index mapping for output shape " + Arrays.toString(ys)
              + " reads beyond the input " + Arrays.toString(xs) + " (undefined behaviour), refused");
        }
      }
      return (x, y, rc) -> {
        int[] v = x[0];
        int[] r = y[0];
        for (int i = 0; i < ysize; i++) {
          int b = base[i];
          int tmp = v[b];
          if (sum) {
            for (int k = 1; k < axisSize; k++) {
              tmp += v[b + offs[k]];
            }
          } else {
            for (int k = 1; k < axisSize; k++) {
              int w = v[b + offs[k]];
              if (tmp < w) {
                tmp = w;
              }
            }
          }
          r[i] = tmp;
        }
      };
    }
  }
}
