package io.mrt.train;

import io.mrt.api.graph.Attrs;
import io.mrt.api.graph.Entry;
import io.mrt.api.graph.Graph;
import io.mrt.api.graph.Model;
import io.mrt.api.graph.Node;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Generates a MobileNetV2 of width 0.5 for CIFAR-10 (input 3x32x32, 10 classes) with random
 * weights, as MXNet symbol JSON + params written by the project's MXNet writer: a model of the
 * size and op mix of a real mobile network (depthwise convolutions, BatchNorm, relu6 as clip,
 * residual adds, a 1280-channel head) for measuring time and memory; its accuracy is chance.
 *
 * <p>Layers (Gluon's MobileNetV2 with the CIFAR stem: first convolution and the 24-channel stage
 * at stride 1): conv 3x3 16 -> inverted residual stages (expansion t, channels c, repeats n,
 * stride s) (1,8,1,1) (6,16,2,1) (6,16,3,2) (6,32,4,2) (6,48,3,1) (6,80,3,2) (6,160,1,1) ->
 * conv 1x1 1280 -> global average pool -> FullyConnected 10. Weights are He-normal with a fixed
 * seed; BatchNorm gamma 1, beta 0, running mean 0, running var 1 (eps 1e-5).
 *
 * <pre>
 * java -cp "tools/train/target/classes:$(cat mrt-runtime/target/classpath.txt):mrt-runtime/target/mrt-runtime-0.1.0-SNAPSHOT.jar" \
 *     io.mrt.train.MobileNetV2Cifar OUT_DIR [seed]
 * </pre>
 * writes {@code OUT_DIR/mobilenetv2_0.5_cifar-symbol.json} and {@code -0000.params}.
 */
public final class MobileNetV2Cifar {
  /** The model name (file prefix). */
  public static final String NAME = "mobilenetv2_0.5_cifar";
  private static final int[][] STAGES = {{1, 8, 1, 1}, {6, 16, 2, 1}, {6, 16, 3, 2}, {6, 32, 4, 2}, {6, 48, 3, 1},
      {6, 80, 3, 2}, {6, 160, 1, 1}};

  private final Map<String, INDArray> params = new LinkedHashMap<>();
  private final Set<String> aux = new HashSet<>();
  private int counter;

  private MobileNetV2Cifar(long seed) {
    Nd4j.getRandom().setSeed(seed);
  }

  /** The generated model and the names of its auxiliary states (BatchNorm running statistics). */
  public record Generated(Model model, Set<String> auxNames) {}

  /** Builds the model with weights drawn from {@code seed}. */
  public static Generated build(long seed) {
    MobileNetV2Cifar b = new MobileNetV2Cifar(seed);
    Entry x = Node.variable("data", Attrs.empty()).out();
    x = b.convBnRelu6(x, 3, 16, 3, 1, 1);
    int in = 16;
    for (int[] s : STAGES) {
      for (int r = 0; r < s[2]; r++) {
        x = b.invertedResidual(x, in, s[1], s[0], r == 0 ? s[3] : 1);
        in = s[1];
      }
    }
    x = b.convBnRelu6(x, in, 1280, 1, 1, 1);
    x = Node.op("Pooling", b.name("pool"), Attrs.of("global_pool", "True", "kernel", "(1, 1)", "pool_type", "avg"), x).out();
    x = Node.op("Flatten", b.name("flatten"), Attrs.empty(), x).out();
    String fc = b.name("dense");
    Entry w = b.param(fc + "_weight", he(new long[] {10, 1280}, 1280), false);
    Entry bias = b.param(fc + "_bias", Nd4j.zeros(DataType.FLOAT, 10), false);
    x = new Node("FullyConnected", fc, Attrs.of("flatten", "True", "no_bias", "False", "num_hidden", "10"),
        List.of(x, w, bias), 1).out();
    return new Generated(new Model(Graph.of(x), b.params), Set.copyOf(b.aux));
  }

  private Entry invertedResidual(Entry x, int in, int out, int expansion, int stride) {
    int hidden = in * expansion;
    Entry y = x;
    if (expansion != 1) {
      y = convBnRelu6(y, in, hidden, 1, 1, 1);
    }
    y = convBnRelu6(y, hidden, hidden, 3, stride, hidden);
    y = bn(conv(y, hidden, out, 1, 1, 1), out);
    if (stride == 1 && in == out) {
      y = Node.op("elemwise_add", name("add"), Attrs.empty(), x, y).out();
    }
    return y;
  }

  private Entry convBnRelu6(Entry x, int in, int out, int kernel, int stride, int groups) {
    Entry y = bn(conv(x, in, out, kernel, stride, groups), out);
    return Node.op("clip", name("relu6"), Attrs.of("a_min", "0.0", "a_max", "6.0"), y).out();
  }

  private Entry conv(Entry x, int in, int out, int kernel, int stride, int groups) {
    String n = name("conv");
    int fanIn = in / groups * kernel * kernel;
    Entry w = param(n + "_weight", he(new long[] {out, in / groups, kernel, kernel}, fanIn), false);
    int pad = kernel / 2;
    Attrs a = Attrs.of("dilate", "(1, 1)", "kernel", tuple(kernel), "layout", "NCHW", "no_bias", "True",
        "num_filter", Integer.toString(out), "num_group", Integer.toString(groups), "pad", tuple(pad),
        "stride", tuple(stride));
    return new Node("Convolution", n, a, List.of(x, w), 1).out();
  }

  private Entry bn(Entry x, int channels) {
    String n = name("batchnorm");
    List<Entry> in = new ArrayList<>(List.of(x));
    in.add(param(n + "_gamma", Nd4j.ones(DataType.FLOAT, channels), false));
    in.add(param(n + "_beta", Nd4j.zeros(DataType.FLOAT, channels), false));
    in.add(param(n + "_running_mean", Nd4j.zeros(DataType.FLOAT, channels), true));
    in.add(param(n + "_running_var", Nd4j.ones(DataType.FLOAT, channels), true));
    Attrs a = Attrs.of("axis", "1", "eps", "1e-05", "fix_gamma", "False", "momentum", "0.9", "use_global_stats", "False");
    return new Node("BatchNorm", n, a, in, 3).out();
  }

  private Entry param(String name, INDArray value, boolean isAux) {
    params.put(name, value);
    if (isAux) {
      aux.add(name);
    }
    return Node.variable(name, Attrs.empty()).out();
  }

  private String name(String op) {
    return String.format(Locale.ROOT, "mobilenetv2_%s%d", op, counter++);
  }

  private static INDArray he(long[] shape, int fanIn) {
    return Nd4j.randn(DataType.FLOAT, shape).muli(Math.sqrt(2.0 / fanIn));
  }

  private static String tuple(int v) {
    return "(" + v + ", " + v + ")";
  }

  /** Writes the model into {@code args[0]} (seed {@code args[1]}, default 0). */
  public static void main(String[] args) throws Exception {
    if (args.length < 1 || args.length > 2) {
      System.err.println("usage: MobileNetV2Cifar OUT_DIR [seed]");
      System.exit(2);
    }
    Path dir = Path.of(args[0]);
    Files.createDirectories(dir);
    Generated g = build(args.length > 1 ? Long.parseLong(args[1]) : 0);
    Export.write(g.model(), g.auxNames(), dir.resolve(NAME + "-symbol.json"), dir.resolve(NAME + "-0000.params"));
    System.out.println("wrote " + dir.resolve(NAME + "-symbol.json") + " and " + NAME + "-0000.params");
  }
}
