package io.mrt.modelgen;

import io.mrt.api.graph.Attrs;
import io.mrt.api.graph.Entry;
import io.mrt.api.graph.Node;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Builds a graph as MXNet Gluon's {@code export} writes it: op nodes named
 * {@code <prefix><layer><k>_fwd} with a counter per layer kind and name scope, parameters
 * {@code <prefix><layer><k>_weight}, {@code _bias}, {@code _gamma}, {@code _beta},
 * {@code _running_mean}, {@code _running_var} (the last two are auxiliary states), and Gluon's
 * attribute strings. Weights are drawn from one seeded generator in creation order, so a seed
 * gives the same model byte for byte:
 * <ul>
 *   <li>convolution and dense weights: normal, standard deviation {@code sqrt(2 / fan_in)} (He);
 *   <li>biases: normal, standard deviation 0.01;
 *   <li>BatchNorm gamma uniform in [0.5, 1.5), beta normal with standard deviation 0.1; the running
 *       mean and variance are placeholders (0 and 1) until {@link BatchNormStats} measures them.
 * </ul>
 */
final class GluonGraph {
  private final SplittableRandom random;
  private final Map<String, INDArray> params = new LinkedHashMap<>();
  private final TreeSet<String> aux = new TreeSet<>();
  private final Map<String, Integer> counters = new HashMap<>();
  private final List<Node> batchNorms = new ArrayList<>();
  private final Node data = Node.variable("data", Attrs.empty());

  private final int batchNormOutputs;

  /**
   * A builder whose weights come from {@code seed}. MXNet's BatchNorm has 3 outputs (the output,
   * the batch mean and variance; only the first is used): {@code batchNormOutputs} 3 builds the
   * graph as exported, 1 builds the graph the float executor runs before the prepare stage.
   */
  GluonGraph(long seed, int batchNormOutputs) {
    this.random = new SplittableRandom(seed);
    this.batchNormOutputs = batchNormOutputs;
  }

  /** The input variable {@code data}. */
  Entry data() {
    return data.out();
  }

  /** The parameters by variable name, in creation order. */
  Map<String, INDArray> params() {
    return params;
  }

  /** The names of the auxiliary states (BatchNorm running statistics). */
  TreeSet<String> auxNames() {
    return aux;
  }

  /** The BatchNorm nodes in creation (topological) order. */
  List<Node> batchNorms() {
    return batchNorms;
  }

  /** The next name of a layer kind within a name scope: {@code <scope><kind><k>}. */
  String name(String scope, String kind) {
    int k = counters.merge(scope + kind, 1, Integer::sum) - 1;
    return scope + kind + k;
  }

  private Entry param(String name, INDArray value, boolean isAux) {
    if (params.put(name, value) != null) {
      throw new IllegalStateException("duplicate parameter " + name);
    }
    if (isAux) {
      aux.add(name);
    }
    return Node.variable(name, Attrs.empty()).out();
  }

  private INDArray normal(double std, long... shape) {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    float[] v = new float[Math.toIntExact(n)];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) (gaussian() * std);
    }
    return Nd4j.create(v, shape, 'c');
  }

  private INDArray uniform(double lo, double hi, long size) {
    float[] v = new float[Math.toIntExact(size)];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) (lo + random.nextDouble() * (hi - lo));
    }
    return Nd4j.create(v, new long[] {size}, 'c');
  }

  private static INDArray filled(float value, long size) {
    float[] v = new float[Math.toIntExact(size)];
    java.util.Arrays.fill(v, value);
    return Nd4j.create(v, new long[] {size}, 'c');
  }

  /** A standard normal draw (Box-Muller on the seeded generator, so it is the same on every JVM). */
  private double gaussian() {
    double u = 1.0 - random.nextDouble();
    double w = random.nextDouble();
    return Math.sqrt(-2.0 * Math.log(u)) * Math.cos(2.0 * Math.PI * w);
  }

  private static String pair(int v) {
    return Attrs.tuple(v, v);
  }

  /**
   * {@code nn.Conv2D}: {@code outC} square kernels of side {@code kernel} over {@code inC} channels
   * in {@code groups} groups; the node is {@code <layer>_fwd}, the weight {@code <layer>_weight}.
   */
  Entry conv(String layer, Entry in, int inC, int outC, int kernel, int stride, int pad, int groups, boolean bias) {
    List<Entry> inputs = new ArrayList<>();
    inputs.add(in);
    inputs.add(param(layer + "_weight", normal(Math.sqrt(2.0 / ((double) inC / groups * kernel * kernel)),
        outC, inC / groups, kernel, kernel), false));
    if (bias) {
      inputs.add(param(layer + "_bias", normal(0.01, outC), false));
    }
    Attrs a = Attrs.of("dilate", "(1, 1)", "kernel", pair(kernel), "layout", "NCHW", "no_bias", bias ? "False" : "True",
        "num_filter", Integer.toString(outC), "num_group", Integer.toString(groups), "pad", pair(pad),
        "stride", pair(stride));
    return new Node("Convolution", layer + "_fwd", a, inputs, 1).out();
  }

  /** {@code nn.BatchNorm()} over {@code channels} (axis 1, eps 1e-5, momentum 0.9); 3 outputs, the first visible. */
  Entry batchNorm(String layer, Entry in, int channels) {
    List<Entry> inputs = List.of(in,
        param(layer + "_gamma", uniform(0.5, 1.5, channels), false),
        param(layer + "_beta", normal(0.1, channels), false),
        param(layer + "_running_mean", filled(0f, channels), true),
        param(layer + "_running_var", filled(1f, channels), true));
    Node n = new Node("BatchNorm", layer + "_fwd", Attrs.of("axis", "1", "eps", "1e-05", "fix_gamma", "False",
        "momentum", "0.9", "use_global_stats", "False"), inputs, batchNormOutputs);
    batchNorms.add(n);
    return n.out();
  }

  /** {@code nn.Activation('relu')}: node {@code <layer>_fwd}. */
  Entry relu(String layer, Entry in) {
    return Node.op("Activation", layer + "_fwd", Attrs.of("act_type", "relu"), in).out();
  }

  /** Gluon's ReLU6 block, {@code F.clip(x, 0, 6)}: node {@code <layer>_fwd}. */
  Entry relu6(String layer, Entry in) {
    return Node.op("clip", layer + "_fwd", Attrs.of("a_max", "6", "a_min", "0"), in).out();
  }

  /** An activation applied to a sum ({@code nn.Activation} called in hybrid_forward): node as named. */
  Entry reluNamed(String node, Entry in) {
    return Node.op("Activation", node, Attrs.of("act_type", "relu"), in).out();
  }

  /** {@code nn.MaxPool2D(kernel, stride, pad)}. */
  Entry maxPool(String layer, Entry in, int kernel, int stride, int pad) {
    return Node.op("Pooling", layer + "_fwd", Attrs.of("global_pool", "False", "kernel", pair(kernel), "pad", pair(pad),
        "pool_type", "max", "pooling_convention", "valid", "stride", pair(stride)), in).out();
  }

  /** {@code nn.GlobalAvgPool2D()}: (N, C, H, W) to (N, C, 1, 1). */
  Entry globalAvgPool(String layer, Entry in) {
    return Node.op("Pooling", layer + "_fwd", Attrs.of("global_pool", "True", "kernel", "(1, 1)", "pad", "(0, 0)",
        "pool_type", "avg", "pooling_convention", "valid", "stride", "(1, 1)"), in).out();
  }

  /** {@code nn.Flatten()}: node {@code <layer>_flatten0} as Gluon names it. */
  Entry flatten(String layer, Entry in) {
    return Node.op("Flatten", layer + "_flatten0", Attrs.empty(), in).out();
  }

  /** {@code nn.Dense(units)} (flatten=True, with bias) over {@code inUnits} inputs. */
  Entry dense(String layer, Entry in, int inUnits, int units) {
    Entry w = param(layer + "_weight", normal(Math.sqrt(1.0 / inUnits), units, inUnits), false);
    Entry b = param(layer + "_bias", normal(0.01, units), false);
    return Node.op("FullyConnected", layer + "_fwd", Attrs.of("flatten", "True", "no_bias", "False",
        "num_hidden", Integer.toString(units)), in, w, b).out();
  }

  /** A residual sum ({@code x + y} in hybrid_forward): {@code elemwise_add}, node as named. */
  Entry add(String node, Entry a, Entry b) {
    return Node.op("elemwise_add", node, Attrs.empty(), a, b).out();
  }
}
