package io.mrt.modelgen;

import io.mrt.api.graph.Entry;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The networks the tool writes, with the structure and names of MXNet Gluon's model zoo
 * ({@code mxnet.gluon.model_zoo.vision}, as GluonCV's {@code get_model} exports them).
 */
enum Zoo {
  /** ResNet-18 v1 (BasicBlockV1, layers 2-2-2-2), 1,000 classes, 3x224x224. */
  RESNET18_V1("resnet18_v1", 1000, 224, 64) {
    @Override
    Entry build(GluonGraph g) {
      return resnetV1(g, false, new int[] {2, 2, 2, 2}, new int[] {64, 64, 128, 256, 512}, 1000);
    }
  },
  /** ResNet-50 v1 (BottleneckV1, layers 3-4-6-3), 1,000 classes, 3x224x224. */
  RESNET50_V1("resnet50_v1", 1000, 224, 64) {
    @Override
    Entry build(GluonGraph g) {
      return resnetV1(g, true, new int[] {3, 4, 6, 3}, new int[] {64, 256, 512, 1024, 2048}, 1000);
    }
  },
  /** MobileNetV2 width 1.0, 1,000 classes, 3x224x224. */
  MOBILENETV2_1_0("mobilenetv2_1.0", 1000, 224, 64) {
    @Override
    Entry build(GluonGraph g) {
      return mobileNetV2(g, 1.0, 1000, 2);
    }
  },
  /**
   * MobileNetV2 width 0.5 for CIFAR-10 (3x32x32, 10 classes): Gluon's MobileNetV2 with the stem
   * convolution at stride 1 instead of 2, the usual adaptation to 32x32 inputs (the last feature
   * map is 2x2).
   */
  CIFAR_MOBILENETV2_0_5("cifar_mobilenetv2_0.5", 10, 32, 32) {
    @Override
    Entry build(GluonGraph g) {
      return mobileNetV2(g, 0.5, 10, 1);
    }
  };

  private final String id;
  private final int classes;
  private final int side;
  private final int calibrationSide;

  Zoo(String id, int classes, int side, int calibrationSide) {
    this.id = id;
    this.classes = classes;
    this.side = side;
    this.calibrationSide = calibrationSide;
  }

  /** The model name (also the file prefix: NAME.json, NAME.params). */
  String id() {
    return id;
  }

  /** The number of classes. */
  int classes() {
    return classes;
  }

  /** The input shape as MRT writes it, the batch axis first: (-1, 3, side, side). */
  List<Integer> inputShape() {
    return List.of(-1, 3, side, side);
  }

  /** The side of the random images the BatchNorm statistics are measured on. */
  int calibrationSide() {
    return calibrationSide;
  }

  /** Adds the network to {@code g}; returns its output. */
  abstract Entry build(GluonGraph g);

  /** The entry of a model name, e.g. {@code resnet18_v1}. */
  static Zoo of(String id) {
    return Arrays.stream(values()).filter(z -> z.id.equals(id)).findFirst().orElseThrow(() ->
        new IllegalArgumentException("unknown model '" + id + "': expected one of " + ids()));
  }

  /** The model names, comma-separated. */
  static String ids() {
    return String.join(", ", Arrays.stream(values()).map(Zoo::id).toList());
  }

  // ---- ResNet v1 (gluon/model_zoo/vision/resnet.py: ResNetV1, BasicBlockV1, BottleneckV1)

  private static Entry resnetV1(GluonGraph g, boolean bottleneck, int[] layers, int[] channels, int classes) {
    String p = "resnetv10_";
    Entry x = g.conv(g.name(p, "conv"), g.data(), 3, channels[0], 7, 2, 3, 1, false);
    x = g.batchNorm(g.name(p, "batchnorm"), x, channels[0]);
    x = g.relu(g.name(p, "relu"), x);
    x = g.maxPool(g.name(p, "pool"), x, 3, 2, 1);
    int inC = channels[0];
    for (int i = 0; i < layers.length; i++) {
      String s = p + "stage" + (i + 1) + "_";
      int c = channels[i + 1];
      int stride = i == 0 ? 1 : 2;
      for (int b = 0; b < layers[i]; b++) {
        boolean downsample = b == 0 && c != inC;
        x = bottleneck ? bottleneckV1(g, s, x, inC, c, b == 0 ? stride : 1, downsample)
            : basicBlockV1(g, s, x, inC, c, b == 0 ? stride : 1, downsample);
        inC = c;
      }
    }
    x = g.globalAvgPool(g.name(p, "pool"), x);
    return g.dense(g.name(p, "dense"), x, inC, classes);
  }

  private static Entry basicBlockV1(GluonGraph g, String s, Entry in, int inC, int c, int stride, boolean down) {
    Entry x = g.conv(g.name(s, "conv"), in, inC, c, 3, stride, 1, 1, false);
    x = g.batchNorm(g.name(s, "batchnorm"), x, c);
    x = g.relu(g.name(s, "relu"), x);
    x = g.conv(g.name(s, "conv"), x, c, c, 3, 1, 1, 1, false);
    x = g.batchNorm(g.name(s, "batchnorm"), x, c);
    Entry residual = in;
    if (down) {
      residual = g.conv(g.name(s, "conv"), in, inC, c, 1, stride, 0, 1, false);
      residual = g.batchNorm(g.name(s, "batchnorm"), residual, c);
    }
    return g.reluNamed(g.name(s, "activation"), g.add(g.name(s, "_plus"), residual, x));
  }

  private static Entry bottleneckV1(GluonGraph g, String s, Entry in, int inC, int c, int stride, boolean down) {
    int mid = c / 4;
    // Gluon's BottleneckV1 keeps the default use_bias=True on its two 1x1 convolutions
    Entry x = g.conv(g.name(s, "conv"), in, inC, mid, 1, stride, 0, 1, true);
    x = g.batchNorm(g.name(s, "batchnorm"), x, mid);
    x = g.relu(g.name(s, "relu"), x);
    x = g.conv(g.name(s, "conv"), x, mid, mid, 3, 1, 1, 1, false);
    x = g.batchNorm(g.name(s, "batchnorm"), x, mid);
    x = g.relu(g.name(s, "relu"), x);
    x = g.conv(g.name(s, "conv"), x, mid, c, 1, 1, 0, 1, true);
    x = g.batchNorm(g.name(s, "batchnorm"), x, c);
    Entry residual = in;
    if (down) {
      residual = g.conv(g.name(s, "conv"), in, inC, c, 1, stride, 0, 1, false);
      residual = g.batchNorm(g.name(s, "batchnorm"), residual, c);
    }
    return g.reluNamed(g.name(s, "activation"), g.add(g.name(s, "_plus"), residual, x));
  }

  // ---- MobileNetV2 (gluon/model_zoo/vision/mobilenet.py: MobileNetV2, LinearBottleneck, RELU6)

  private static Entry mobileNetV2(GluonGraph g, double multiplier, int classes, int stemStride) {
    String f = "mobilenetv20_features_";
    int stem = (int) (32 * multiplier);
    Entry x = convBn(g, f, g.data(), 3, stem, 3, stemStride, 1, 1, true);
    int[] in = scaled(multiplier, 32, 16, 24, 24, 32, 32, 32, 64, 64, 64, 64, 96, 96, 96, 160, 160, 160);
    int[] out = scaled(multiplier, 16, 24, 24, 32, 32, 32, 64, 64, 64, 64, 96, 96, 96, 160, 160, 160, 320);
    int[] strides = {1, 2, 1, 2, 1, 1, 2, 1, 1, 1, 1, 1, 1, 2, 1, 1, 1};
    for (int i = 0; i < in.length; i++) {
      x = linearBottleneck(g, g.name(f, "linearbottleneck") + "_", x, in[i], out[i], i == 0 ? 1 : 6, strides[i]);
    }
    int last = multiplier > 1.0 ? (int) (1280 * multiplier) : 1280;
    x = convBn(g, f, x, out[out.length - 1], last, 1, 1, 0, 1, true);
    x = g.globalAvgPool(g.name(f, "pool"), x);
    String o = "mobilenetv20_output_";
    x = g.conv(o + "pred", x, last, classes, 1, 1, 0, 1, false);
    return g.flatten(g.name(o, "flatten"), x);
  }

  private static int[] scaled(double multiplier, int... v) {
    return Arrays.stream(v).map(c -> (int) (c * multiplier)).toArray();
  }

  /** Gluon's {@code _add_conv}: Conv2D without bias, BatchNorm, and ReLU6 when active. */
  private static Entry convBn(GluonGraph g, String scope, Entry in, int inC, int outC, int kernel, int stride, int pad,
      int groups, boolean active) {
    Entry x = g.conv(g.name(scope, "conv"), in, inC, outC, kernel, stride, pad, groups, false);
    x = g.batchNorm(g.name(scope, "batchnorm"), x, outC);
    return active ? g.relu6(g.name(scope, "relu6"), x) : x;
  }

  private static Entry linearBottleneck(GluonGraph g, String s, Entry in, int inC, int c, int t, int stride) {
    Entry x = in;
    int mid = inC * t;
    if (t != 1) {
      x = convBn(g, s, x, inC, mid, 1, 1, 0, 1, true);
    }
    x = convBn(g, s, x, mid, mid, 3, stride, 1, mid, true);
    x = convBn(g, s, x, mid, c, 1, 1, 0, 1, false);
    if (stride == 1 && inC == c) {
      x = g.add(g.name(s, "elemwise_add"), x, in);
    }
    return x;
  }

  @Override
  public String toString() {
    return id.toLowerCase(Locale.ROOT);
  }
}
