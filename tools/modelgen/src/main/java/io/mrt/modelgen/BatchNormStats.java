package io.mrt.modelgen;

import io.mrt.api.graph.Graph;
import io.mrt.api.graph.Model;
import io.mrt.api.graph.Node;
import io.mrt.runtime.exec.fp.FloatExecutor;
import io.mrt.runtime.registry.OpTable;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Sets every BatchNorm's running mean and variance to the per-channel statistics of its input,
 * measured with the project's float executor on seeded standard-normal images in one forward pass:
 * an observer sets a BatchNorm's statistics as soon as its input is computed, so every BatchNorm
 * runs with the statistics of its own input. Every BatchNorm output then has per-channel mean
 * {@code beta} and standard deviation {@code gamma} on such inputs, so activations stay bounded
 * however deep the random network is. The statistics are rounded to 12 significant bits so that
 * the last-bit differences of a different BLAS thread count do not change the written file.
 */
final class BatchNormStats {
  private BatchNormStats() {}

  static void measure(GluonGraph g, Graph graph, int batch, int side, long seed, OpTable ops) {
    INDArray x = images(batch, side, seed);
    Map<String, INDArray> params = g.params();
    // the BatchNorms reading each node's first output
    Map<Node, List<Node>> readers = new IdentityHashMap<>();
    for (Node bn : g.batchNorms()) {
      readers.computeIfAbsent(bn.input(0).node(), k -> new ArrayList<>()).add(bn);
    }
    // the statistics arrays are written in place while the executor runs: each BatchNorm's are
    // set as soon as its input is computed, before the BatchNorm itself runs
    Map<String, INDArray> stats = new LinkedHashMap<>();
    for (Node bn : g.batchNorms()) {
      for (int i : new int[] {3, 4}) {
        String name = bn.input(i).node().name();
        INDArray own = params.get(name).dup();
        stats.put(name, own);
        params.put(name, own);
      }
    }
    int[] done = {0};
    new FloatExecutor(new Model(graph, params), ops).run(Map.of("data", x), (node, in, out) -> {
      for (Node bn : readers.getOrDefault(node, List.of())) {
        INDArray a = out.get(bn.input(0).index()).castTo(DataType.DOUBLE);
        stats.get(bn.input(3).node().name()).assign(rounded(a.mean(0, 2, 3)));
        stats.get(bn.input(4).node().name()).assign(rounded(a.var(false, 0, 2, 3)));
        done[0]++;
      }
    });
    if (done[0] != g.batchNorms().size()) {
      throw new IllegalStateException("measured " + done[0] + " of " + g.batchNorms().size() + " BatchNorms");
    }
  }

  /** Standard-normal images (N, 3, side, side) from the seeded generator. */
  static INDArray images(int batch, int side, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] v = new float[batch * 3 * side * side];
    for (int i = 0; i < v.length; i++) {
      double u = 1.0 - r.nextDouble();
      v[i] = (float) (Math.sqrt(-2.0 * Math.log(u)) * Math.cos(2.0 * Math.PI * r.nextDouble()));
    }
    return Nd4j.create(v, new long[] {batch, 3, side, side}, 'c');
  }

  private static INDArray rounded(INDArray stats) {
    double[] d = stats.toDoubleVector();
    float[] f = new float[d.length];
    for (int i = 0; i < d.length; i++) {
      int bits = Float.floatToIntBits((float) d[i]);
      f[i] = Float.intBitsToFloat((bits + 0x400) & ~0x7FF);
    }
    return Nd4j.create(f, new long[] {f.length}, 'c');
  }
}
