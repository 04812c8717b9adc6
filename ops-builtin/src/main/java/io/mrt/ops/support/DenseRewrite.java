package io.mrt.ops.support;

import io.mrt.api.graph.Attrs;
import io.mrt.api.graph.Entry;
import io.mrt.api.graph.Node;
import io.mrt.api.graph.Shape;
import io.mrt.api.hook.RewriteContext;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * MRT's rewrite of {@code FullyConnected} for CVM's 2-D {@code dense}:
 * <ul>
 *   <li>input of rank &gt; 2: with {@code flatten=True} an explicit {@code Flatten} is inserted;
 *       with {@code flatten=False} the input is reshaped to {@code (-1, K)} and the output reshaped
 *       back to {@code (-1, d1, ..., units)};
 *   <li>more than {@link #MAX_K} inputs per output (the CVM accumulator bound): the input and the
 *       weight are cut into chunks of {@link #MAX_K} columns ({@code slice_axis}), one
 *       {@code FullyConnected} without bias per chunk, the partial results summed pairwise with
 *       {@code elemwise_add}, and the bias added with {@code broadcast_add}.
 * </ul>
 */
public final class DenseRewrite {
  /** The largest reduction length of one dense product (MRT's MATRIX_MAXIMUM_SIZE). */
  public static final long MAX_K = 65536;

  private DenseRewrite() {}

  public static List<Entry> rewrite(RewriteContext ctx) {
    Node node = ctx.node();
    String n = node.name();
    Attrs a = ctx.attrs();
    Entry x = ctx.input(0);
    Shape xs = ctx.shapeOf(x);
    boolean flatten = a.getBool("flatten");
    int units = a.getInt("num_hidden");
    boolean noBias = a.getBool("no_bias");
    Shape ws = ctx.shapeOf(ctx.input(1));
    long k = ws.dim(1);
    if (xs.rank() <= 2 && k <= MAX_K) {
      return ctx.unchanged();
    }
    Entry x2 = x;
    if (xs.rank() > 2) {
      x2 = flatten
          ? ctx.op("Flatten", n + "_flatten", Attrs.empty(), x).out()
          : ctx.op("Reshape", n + "_reshape", Attrs.of("shape", Attrs.tuple(-1L, k)), x).out();
    }
    Attrs fc = node.attrs();
    Entry y;
    if (k <= MAX_K) {
      y = ctx.op("FullyConnected", flatten ? n : n + "_dense", fc, withInput(ctx, x2)).out();
    } else {
      Optional<INDArray> w = ctx.paramValue(ctx.input(1));
      if (w.isEmpty()) {
        throw ctx.error("has " + k + " inputs per output (more than " + MAX_K
            + ") but its weight is not a parameter, so it cannot be split");
      }
      Deque<Entry> parts = new ArrayDeque<>();
      int chunk = 0;
      for (long start = 0; start < k; start += MAX_K, chunk++) {
        long stop = Math.min(start + MAX_K, k);
        Node xk = ctx.op("slice_axis", n + "_x" + chunk,
            Attrs.of("axis", "1", "begin", Long.toString(start), "end", Long.toString(stop)), x2);
        INDArray wk = w.get().get(NDArrayIndex.all(), NDArrayIndex.interval(start, stop)).dup('c');
        Node wn = ctx.param(n + "_weight" + chunk, wk);
        parts.add(ctx.op("FullyConnected", n + "_part" + chunk,
            fc.with("no_bias", "True"), xk.out(), wn.out()).out());
      }
      int sums = 0;
      while (parts.size() > 1) {
        Entry p = parts.poll();
        Entry q = parts.poll();
        boolean last = parts.isEmpty() && noBias && (xs.rank() <= 2 || flatten);
        parts.add(ctx.op("elemwise_add", last ? n : n + "_sum" + sums++, Attrs.empty(), p, q).out());
      }
      y = parts.poll();
      if (!noBias) {
        y = ctx.op("broadcast_add", xs.rank() > 2 && !flatten ? n + "_biased" : n, Attrs.empty(), y,
            ctx.input(2)).out();
      }
    }
    if (xs.rank() > 2 && !flatten) {
      long[] back = xs.dims();
      back[0] = -1;
      back[back.length - 1] = units;
      y = ctx.op("Reshape", n, Attrs.of("shape", Attrs.tuple(back)), y).out();
    }
    return List.of(y);
  }

  private static Entry[] withInput(RewriteContext ctx, Entry x) {
    Entry[] in = ctx.inputs().toArray(new Entry[0]);
    in[0] = x;
    return in;
  }
}
