package io.mrt.benchmarks;

import io.mrt.api.graph.Attrs;
import io.mrt.api.graph.Entry;
import io.mrt.api.graph.Graph;
import io.mrt.api.graph.Node;
import io.mrt.runtime.io.mxnet.ModelFiles;
import io.mrt.runtime.io.mxnet.MxnetModels;
import io.mrt.runtime.io.mxnet.MxnetSymbol;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A MobileNetV2 of width 0.5 for CIFAR-10 ({@code 3x32x32} in, 10 classes out), written as an
 * MXNet checkpoint with seeded random weights: the layers of gluon's {@code mobilenetv2_0.5}
 * (3x3 stem of 16 channels, seventeen inverted residual blocks of expansion 6 with depthwise 3x3
 * convolutions, a 1x1 convolution to 1280 channels, global average pooling, a dense layer), with
 * CIFAR's strides (the stem and the first stage keep 32x32), relu6 as {@code clip(0, 6)}, and
 * inference BatchNorm after every convolution: about 28 M multiply-adds per image.
 */
final class MobileNetV2Cifar {
  /** Expansion, output channels (width 1.0), repeats, first stride: MobileNetV2's stages on CIFAR. */
  private static final int[][] STAGES = {
      {1, 16, 1, 1}, {6, 24, 2, 1}, {6, 32, 3, 2}, {6, 64, 4, 2}, {6, 96, 3, 1}, {6, 160, 3, 2}, {6, 320, 1, 1}};
  private static final double WIDTH = 0.5;

  private final Map<String, INDArray> params = new LinkedHashMap<>();
  private final Random random = new Random(20);
  private int layer;

  private MobileNetV2Cifar() {}

  /** Writes {@code dir/mobilenetv2_0.5-symbol.json} and {@code dir/mobilenetv2_0.5-0000.params}. */
  static ModelFiles write(Path dir) {
    MobileNetV2Cifar b = new MobileNetV2Cifar();
    Entry x = Node.variable("data", Attrs.empty()).out();
    int in = divisible(32 * WIDTH);
    x = b.convBnRelu6(x, 3, in, 3, 1, 1);
    for (int[] st : STAGES) {
      int out = divisible(st[1] * WIDTH);
      for (int i = 0; i < st[2]; i++) {
        x = b.invertedResidual(x, in, out, st[0], i == 0 ? st[3] : 1);
        in = out;
      }
    }
    x = b.convBnRelu6(x, in, 1280, 1, 1, 1);
    x = Node.op("Pooling", "pool", Attrs.of("global_pool", "True", "kernel", "(1, 1)", "pool_type", "avg"), x).out();
    x = Node.op("Flatten", "flatten", Attrs.empty(), x).out();
    Entry w = b.param("arg:", "dense_weight", new long[] {10, 1280}, 1280);
    Entry bias = b.param("arg:", "dense_bias", new long[] {10}, 0);
    x = Node.op("FullyConnected", "dense", Attrs.of("num_hidden", "10"), x, w, bias).out();
    ModelFiles files = new ModelFiles(dir.resolve("mobilenetv2_0.5-symbol.json"), dir.resolve("mobilenetv2_0.5-0000.params"));
    MxnetModels.save(MxnetSymbol.of(Graph.of(x)), b.params, files);
    return files;
  }

  /** The channel count rounded to a multiple of 8, as MobileNetV2 does. */
  private static int divisible(double c) {
    int v = Math.max(8, (int) (c + 4) / 8 * 8);
    return v < 0.9 * c ? v + 8 : v;
  }

  private Entry invertedResidual(Entry x, int in, int out, int expansion, int stride) {
    int hidden = in * expansion;
    Entry y = x;
    if (expansion != 1) {
      y = convBnRelu6(y, in, hidden, 1, 1, 1);
    }
    y = convBnRelu6(y, hidden, hidden, 3, stride, hidden);
    y = convBn(y, hidden, out, 1, 1, 1);
    if (stride == 1 && in == out) {
      y = Node.op("elemwise_add", "add" + layer, Attrs.empty(), x, y).out();
    }
    return y;
  }

  private Entry convBnRelu6(Entry x, int in, int out, int kernel, int stride, int groups) {
    Entry y = convBn(x, in, out, kernel, stride, groups);
    return Node.op("clip", "relu6_" + layer, Attrs.of("a_min", "0", "a_max", "6"), y).out();
  }

  private Entry convBn(Entry x, int in, int out, int kernel, int stride, int groups) {
    String name = "conv" + (++layer);
    int fanIn = in / groups * kernel * kernel;
    Entry w = param("arg:", name + "_weight", new long[] {out, in / groups, kernel, kernel}, fanIn);
    int pad = kernel / 2;
    Entry c = Node.op("Convolution", name, Attrs.of("kernel", "(" + kernel + ", " + kernel + ")",
        "stride", "(" + stride + ", " + stride + ")", "pad", "(" + pad + ", " + pad + ")",
        "num_filter", String.valueOf(out), "num_group", String.valueOf(groups), "no_bias", "True"), x, w).out();
    String bn = name + "_bn";
    Entry gamma = constant("arg:", bn + "_gamma", out, 0.8f, 1.2f);
    Entry beta = constant("arg:", bn + "_beta", out, -0.1f, 0.1f);
    Entry mean = constant("aux:", bn + "_moving_mean", out, -0.1f, 0.1f);
    Entry var = constant("aux:", bn + "_moving_var", out, 0.8f, 1.2f);
    return Node.op("BatchNorm", bn, Attrs.of("eps", "1e-05", "fix_gamma", "False"), c, gamma, beta, mean, var).out();
  }

  /** A weight of He-normal values ({@code fanIn} 0: zeros), stored under {@code prefix + name}. */
  private Entry param(String prefix, String name, long[] shape, int fanIn) {
    int n = 1;
    for (long d : shape) {
      n *= (int) d;
    }
    float[] v = new float[n];
    double std = fanIn == 0 ? 0 : Math.sqrt(2.0 / fanIn);
    for (int i = 0; i < n; i++) {
      v[i] = (float) (random.nextGaussian() * std);
    }
    params.put(prefix + name, Nd4j.create(v, shape, DataType.FLOAT));
    return Node.variable(name, Attrs.empty()).out();
  }

  /** A per-channel vector of uniform values in {@code [lo, hi)}. */
  private Entry constant(String prefix, String name, int channels, float lo, float hi) {
    float[] v = new float[channels];
    for (int i = 0; i < channels; i++) {
      v[i] = lo + (hi - lo) * random.nextFloat();
    }
    params.put(prefix + name, Nd4j.create(v, new long[] {channels}, DataType.FLOAT));
    return Node.variable(name, Attrs.empty()).out();
  }
}
