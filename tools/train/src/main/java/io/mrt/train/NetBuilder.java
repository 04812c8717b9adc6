package io.mrt.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.pooling.Pool;
import io.mrt.api.graph.Attrs;
import io.mrt.api.graph.Entry;
import io.mrt.api.graph.Graph;
import io.mrt.api.graph.Model;
import io.mrt.api.graph.Node;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Builds one network twice, layer by layer: as DJL blocks that MXNet trains, and as the project's
 * graph IR with MXNet's operator names and attributes (as Gluon's {@code export} writes them),
 * whose parameter variables are linked to the DJL parameters. After training, {@link #export()}
 * copies the trained DJL arrays into the IR model's parameter map.
 *
 * <p>Layers are added to a {@link Path}; a path can fork into branches that are joined again
 * with a residual {@code elemwise_add} or a channel {@code Concat} (DJL {@link ParallelBlock}s).
 * Nodes are named {@code <prefix><kind><k>} with a counter per kind, parameters
 * {@code <node>_weight}, {@code _bias}, {@code _gamma}, {@code _beta}, {@code _running_mean},
 * {@code _running_var}; the last two are MXNet auxiliary states.
 */
final class NetBuilder {
  private final String prefix;
  private final Map<String, ParamLink> links = new LinkedHashMap<>();
  private final Map<String, Integer> counters = new HashMap<>();
  private final Node data = Node.variable("data", Attrs.empty());

  /** An IR parameter variable and the DJL parameter that holds its value. */
  private record ParamLink(Block block, String djlName, boolean aux) {}

  NetBuilder(String prefix) {
    this.prefix = prefix;
  }

  /** A path that starts at the network input {@code data}. */
  Path input() {
    return new Path(data.out());
  }

  private String name(String kind) {
    int k = counters.merge(kind, 1, Integer::sum) - 1;
    return prefix + kind + k;
  }

  private Entry param(String name, Block block, String djlName, boolean aux) {
    links.put(name, new ParamLink(block, djlName, aux));
    return Node.variable(name, Attrs.empty()).out();
  }

  /** The names of the parameters that are MXNet auxiliary states (BatchNorm running statistics). */
  Set<String> auxNames() {
    Set<String> aux = new TreeSet<>();
    links.forEach((n, l) -> {
      if (l.aux()) {
        aux.add(n);
      }
    });
    return aux;
  }

  /**
   * The IR model with the current values of the DJL parameters (call after training): every
   * parameter as a float32 array of the DJL shape, keyed by its variable name.
   */
  Model export(Entry head) {
    Map<String, INDArray> params = new LinkedHashMap<>();
    Graph graph = Graph.of(head);
    for (Node v : graph.variables()) {
      ParamLink link = links.get(v.name());
      if (link == null) {
        continue; // the input
      }
      Parameter p = link.block().getParameters().get(link.djlName());
      if (p == null || !p.isInitialized()) {
        throw new IllegalStateException("parameter " + v.name() + " (" + link.djlName() + ") is not initialised");
      }
      NDArray a = p.getArray().toType(DataType.FLOAT32, false);
      params.put(v.name(), Nd4j.create(a.toFloatArray(), a.getShape().getShape(), 'c'));
    }
    return new Model(graph, params);
  }

  private static String tuple(int a, int b) {
    return Attrs.tuple(a, b);
  }

  private static String bool(boolean b) {
    return b ? "True" : "False";
  }

  /**
   * A chain of layers: a DJL {@link SequentialBlock} and the IR entry that its output stands for.
   * Methods add one layer to both and return this path.
   */
  final class Path {
    private final SequentialBlock seq = new SequentialBlock();
    private final Entry start;
    private Entry out;

    private Path(Entry start) {
      this.start = start;
      this.out = start;
    }

    /** The DJL block of this path (an identity block when the path has no layer). */
    Block block() {
      return seq.getChildren().isEmpty() ? Blocks.identityBlock() : seq;
    }

    /** The IR entry of the path's output. */
    Entry out() {
      return out;
    }

    /** A new empty path that starts at this path's output (a branch). */
    Path branch() {
      return new Path(out);
    }

    /** Convolution: {@code filters} square kernels of side {@code kernel}, square stride and padding. */
    Path conv(int filters, int kernel, int stride, int pad, boolean bias) {
      return conv(filters, kernel, stride, pad, bias, 1);
    }

    /** A depthwise convolution: one 3x3 kernel per channel ({@code groups = channels}), no bias. */
    Path depthwise(int channels, int stride) {
      return conv(channels, 3, stride, 1, false, channels);
    }

    /** Convolution in {@code groups} groups. */
    Path conv(int filters, int kernel, int stride, int pad, boolean bias, int groups) {
      Conv2d c = Conv2d.builder().setKernelShape(new Shape(kernel, kernel)).setFilters(filters)
          .optStride(new Shape(stride, stride)).optPadding(new Shape(pad, pad)).optBias(bias).optGroups(groups).build();
      seq.add(c);
      String n = name("conv");
      List<Entry> in = new ArrayList<>(List.of(out, param(n + "_weight", c, "weight", false)));
      if (bias) {
        in.add(param(n + "_bias", c, "bias", false));
      }
      Attrs a = Attrs.of("dilate", "(1, 1)", "kernel", tuple(kernel, kernel), "layout", "NCHW",
          "no_bias", bool(!bias), "num_filter", Integer.toString(filters), "num_group", Integer.toString(groups),
          "pad", tuple(pad, pad), "stride", tuple(stride, stride));
      out = new Node("Convolution", n, a, in, 1).out();
      return this;
    }

    /** ReLU activation. */
    Path relu() {
      seq.add(Activation.reluBlock());
      out = Node.op("Activation", name("relu"), Attrs.of("act_type", "relu"), out).out();
      return this;
    }

    /** ReLU6: {@code clip(x, 0, 6)}, MXNet's {@code clip} with a_min 0 and a_max 6. */
    Path relu6() {
      seq.add(new ai.djl.nn.LambdaBlock(list -> new NDList(list.singletonOrThrow().clip(0, 6))));
      out = Node.op("clip", name("relu6"), Attrs.of("a_max", "6.0", "a_min", "0.0"), out).out();
      return this;
    }

    /** Max pooling, square window and stride, no padding (MXNet's "valid" convention). */
    Path maxPool(int kernel, int stride) {
      seq.add(Pool.maxPool2dBlock(new Shape(kernel, kernel), new Shape(stride, stride)));
      out = Node.op("Pooling", name("pool"), Attrs.of("global_pool", "False", "kernel", tuple(kernel, kernel),
          "pad", "(0, 0)", "pool_type", "max", "pooling_convention", "valid", "stride", tuple(stride, stride)),
          out).out();
      return this;
    }

    /** Global average pooling: (N, C, H, W) to (N, C, 1, 1). */
    Path globalAvgPool() {
      seq.add(Pool.globalAvgPool2dBlock());
      out = Node.op("Pooling", name("pool"), Attrs.of("global_pool", "True", "kernel", "(1, 1)",
          "pad", "(0, 0)", "pool_type", "avg", "pooling_convention", "valid", "stride", "(1, 1)"), out).out();
      return this;
    }

    /** Flatten to (N, rest). */
    Path flatten() {
      seq.add(Blocks.batchFlattenBlock());
      out = Node.op("Flatten", name("flatten"), Attrs.empty(), out).out();
      return this;
    }

    /** Fully connected layer with bias on a flat input. */
    Path dense(int units) {
      Linear l = Linear.builder().setUnits(units).build();
      seq.add(l);
      String n = name("dense");
      out = Node.op("FullyConnected", n, Attrs.of("flatten", "True", "no_bias", "False",
          "num_hidden", Integer.toString(units)), out, param(n + "_weight", l, "weight", false),
          param(n + "_bias", l, "bias", false)).out();
      return this;
    }

    /** Batch normalisation over channels (axis 1), eps 1e-5, momentum 0.9, learnt gamma and beta. */
    Path batchNorm() {
      BatchNorm b = BatchNorm.builder().optEpsilon(1e-5f).optMomentum(0.9f).build();
      seq.add(b);
      String n = name("batchnorm");
      List<Entry> in = List.of(out, param(n + "_gamma", b, "gamma", false), param(n + "_beta", b, "beta", false),
          param(n + "_running_mean", b, "runningMean", true), param(n + "_running_var", b, "runningVar", true));
      Attrs a = Attrs.of("axis", "1", "eps", "1e-05", "fix_gamma", "False", "momentum", "0.9",
          "use_global_stats", "False");
      // MXNet's BatchNorm has 3 outputs (out, mean, var); only the first is visible
      out = new Node("BatchNorm", n, a, in, 3).out();
      return this;
    }

    /** Dropout with drop probability {@code p} while training; identity at inference. */
    Path dropout(float p) {
      seq.add(Dropout.builder().optRate(p).build());
      out = Node.op("Dropout", name("dropout"), Attrs.of("p", String.format(Locale.ROOT, "%s", p)), out).out();
      return this;
    }

    /** Adds the outputs of two branches of this path: a residual connection ({@code elemwise_add}). */
    Path add(Path a, Path b) {
      checkBranches(a, b);
      seq.add(new ParallelBlock(list -> new NDList(list.get(0).singletonOrThrow().add(list.get(1).singletonOrThrow())),
          List.of(a.block(), b.block())));
      out = Node.op("elemwise_add", name("add"), Attrs.empty(), a.out, b.out).out();
      return this;
    }

    /** Continues this path with the layers of a branch of it (no join). */
    Path then(Path body) {
      checkBranches(body);
      seq.add(body.block());
      out = body.out;
      return this;
    }

    /** Concatenates the outputs of branches of this path along the channels ({@code Concat}, dim 1). */
    Path concat(Path... branches) {
      checkBranches(branches);
      List<Block> blocks = new ArrayList<>();
      Entry[] ins = new Entry[branches.length];
      for (int i = 0; i < branches.length; i++) {
        blocks.add(branches[i].block());
        ins[i] = branches[i].out;
      }
      seq.add(new ParallelBlock(list -> {
        NDList parts = new NDList();
        list.forEach(l -> parts.add(l.singletonOrThrow()));
        return new NDList(NDArrays.concat(parts, 1));
      }, blocks));
      out = Node.op("Concat", name("concat"), Attrs.of("dim", "1", "num_args", Integer.toString(branches.length)),
          ins).out();
      return this;
    }

    /**
     * Appends {@code softmax} over the last axis to the exported graph only: training works on the
     * logits (the loss applies its own log-softmax), the exported model outputs probabilities.
     */
    Entry softmaxHead() {
      return Node.op("softmax", name("softmax"), Attrs.of("axis", "-1"), out).out();
    }

    private void checkBranches(Path... branches) {
      for (Path p : branches) {
        if (p.start != out) {
          throw new IllegalArgumentException("a branch must start at the output of the path it joins");
        }
      }
    }
  }
}
