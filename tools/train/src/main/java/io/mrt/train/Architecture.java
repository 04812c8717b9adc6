package io.mrt.train;

import io.mrt.runtime.data.Preprocessing;
import java.util.List;

/** The networks this tool trains, with their data, defaults and descriptions. */
enum Architecture {
  /**
   * MRT's MNIST tutorial network ("dapp"): Conv 16 3x3 relu, MaxPool 2 stride 1, Conv 32 3x3 relu,
   * MaxPool 2 stride 1, Conv 64 3x3 relu, MaxPool 2 stride 2, Conv 128 1x1 relu, MaxPool 2 stride
   * 2, Flatten, Dense 10. No padding; biases everywhere; logits out.
   */
  DAPP("dapp", "mnist", "demo/mnist-dapp", 6, 64, 1e-3f) {
    @Override
    Net build() {
      NetBuilder b = new NetBuilder("dapp_");
      NetBuilder.Path p = b.input()
          .conv(16, 3, 1, 0, true).relu().maxPool(2, 1)
          .conv(32, 3, 1, 0, true).relu().maxPool(2, 1)
          .conv(64, 3, 1, 0, true).relu().maxPool(2, 2)
          .conv(128, 1, 1, 0, true).relu().maxPool(2, 2)
          .flatten().dense(10);
      return new Net(p.block(), p.out(), b);
    }

    @Override
    List<String> description() {
      return List.of(
          "Convolution(16, 3x3, stride 1, no pad, bias) -> Activation(relu) -> Pooling(max 2x2, stride 1)",
          "-> Convolution(32, 3x3, bias) -> Activation(relu) -> Pooling(max 2x2, stride 1)",
          "-> Convolution(64, 3x3, bias) -> Activation(relu) -> Pooling(max 2x2, stride 2)",
          "-> Convolution(128, 1x1, bias) -> Activation(relu) -> Pooling(max 2x2, stride 2)",
          "-> Flatten -> FullyConnected(10). Output: (N, 10) logits; argmax is the digit.",
          "Shapes: (N,1,28,28) -> 16x26x26 -> 16x25x25 -> 32x23x23 -> 32x22x22 -> 64x20x20 -> 64x10x10",
          "-> 128x10x10 -> 128x5x5 -> 3200 -> 10.");
    }
  },

  /**
   * A small residual network for Fashion-MNIST that exercises BatchNorm, a residual
   * {@code elemwise_add}, {@code Concat}, global average pooling, Dropout and a softmax output.
   */
  FASHION_RESNET("fashion-resnet", "fashion-mnist", "examples/fashion-resnet", 5, 128, 2e-3f) {
    @Override
    Net build() {
      NetBuilder b = new NetBuilder("fres_");
      NetBuilder.Path p = b.input().conv(16, 3, 1, 1, false).batchNorm().relu().maxPool(2, 2);
      // residual block, 16 channels at 14x14
      p.add(p.branch().conv(16, 3, 1, 1, false).batchNorm().relu().conv(16, 3, 1, 1, false).batchNorm(), p.branch())
          .relu();
      // two branches concatenated: 1x1 and 3x3, 16 channels each, at 14x14
      p.concat(p.branch().conv(16, 1, 1, 0, false).batchNorm().relu(),
          p.branch().conv(16, 3, 1, 1, false).batchNorm().relu()).maxPool(2, 2);
      // residual block, 32 channels at 7x7
      p.add(p.branch().conv(32, 3, 1, 1, false).batchNorm().relu().conv(32, 3, 1, 1, false).batchNorm(), p.branch())
          .relu();
      p.conv(64, 3, 1, 1, false).batchNorm().relu().globalAvgPool().flatten().dropout(0.3f).dense(10);
      return new Net(p.block(), p.softmaxHead(), b);
    }

    @Override
    List<String> description() {
      return List.of(
          "stem: Convolution(16, 3x3, pad 1, no bias) -> BatchNorm -> Activation(relu)            16x28x28",
          "Pooling(max 2x2, stride 2)                                                               16x14x14",
          "residual: [Conv 16 3x3 -> BN -> relu -> Conv 16 3x3 -> BN] + identity (elemwise_add) -> relu",
          "Concat(dim 1) of [Conv 16 1x1 -> BN -> relu] and [Conv 16 3x3 pad 1 -> BN -> relu]      32x14x14",
          "Pooling(max 2x2, stride 2)                                                               32x7x7",
          "residual: [Conv 32 3x3 -> BN -> relu -> Conv 32 3x3 -> BN] + identity (elemwise_add) -> relu",
          "Convolution(64, 3x3, pad 1, no bias) -> BatchNorm -> Activation(relu)                    64x7x7",
          "Pooling(global avg) -> Flatten -> Dropout(p 0.3) -> FullyConnected(10) -> softmax(axis -1)",
          "All 3x3 convolutions have pad 1 and stride 1, none has a bias (BatchNorm follows each).",
          "BatchNorm: eps 1e-5, momentum 0.9, fix_gamma False; running mean/var are aux states.",
          "Output: (N, 10) class probabilities; argmax is the class.");
    }
  },

  /**
   * A MobileNetV2-style network at width 0.5 for Fashion-MNIST: inverted residual blocks (1x1
   * expansion, 3x3 depthwise, linear 1x1 projection), ReLU6 as {@code clip(0, 6)}, BatchNorm after
   * every convolution, residual {@code elemwise_add} where the shape is kept.
   */
  FASHION_MOBILENETV2("fashion-mobilenetv2", "fashion-mnist", "examples/fashion-mobilenetv2", 2, 128, 2e-3f) {
    /** (expansion t, output channels c, repeats n, first stride s) at width 0.5, as MobileNetV2's table. */
    private static final int[][] BLOCKS = {{1, 8, 1, 1}, {6, 12, 2, 2}, {6, 16, 3, 2}, {6, 32, 2, 1}, {6, 48, 1, 1}};

    @Override
    Net build() {
      NetBuilder b = new NetBuilder("fmv2_");
      NetBuilder.Path p = b.input().conv(16, 3, 1, 1, false).batchNorm().relu6();
      int in = 16;
      for (int[] blk : BLOCKS) {
        for (int i = 0; i < blk[2]; i++) {
          int stride = i == 0 ? blk[3] : 1;
          int hidden = in * blk[0];
          NetBuilder.Path body = p.branch();
          if (blk[0] != 1) {
            body.conv(hidden, 1, 1, 0, false).batchNorm().relu6();
          }
          body.depthwise(hidden, stride).batchNorm().relu6().conv(blk[1], 1, 1, 0, false).batchNorm();
          if (stride == 1 && in == blk[1]) {
            p.add(body, p.branch());
          } else {
            p.then(body);
          }
          in = blk[1];
        }
      }
      p.conv(128, 1, 1, 0, false).batchNorm().relu6().globalAvgPool().flatten().dropout(0.2f).dense(10);
      return new Net(p.block(), p.softmaxHead(), b);
    }

    @Override
    List<String> description() {
      return List.of(
          "stem: Convolution(16, 3x3, pad 1, no bias) -> BatchNorm -> clip(0, 6)                     16x28x28",
          "inverted residual blocks (t expansion, c channels, n repeats, s first stride), width 0.5:",
          "  (1, 8, 1, 1) (6, 12, 2, 2) (6, 16, 3, 2) (6, 32, 2, 1) (6, 48, 1, 1)        -> 48x7x7",
          "  each: [Conv t*in 1x1 -> BN -> clip(0, 6)] (when t > 1) -> depthwise Conv 3x3 (num_group = channels,",
          "  stride s, pad 1) -> BN -> clip(0, 6) -> Conv c 1x1 -> BN (linear); + identity (elemwise_add) when",
          "  the stride is 1 and in = c",
          "Convolution(128, 1x1, no bias) -> BatchNorm -> clip(0, 6)                                    128x7x7",
          "Pooling(global avg) -> Flatten -> Dropout(p 0.2) -> FullyConnected(10) -> softmax(axis -1)",
          "No convolution has a bias (BatchNorm follows each). BatchNorm: eps 1e-5, momentum 0.9, fix_gamma False.",
          "Output: (N, 10) class probabilities; argmax is the class.");
    }
  };

  final String id;
  final String dataset;
  final String outDir;
  final int epochs;
  final int batch;
  final float learningRate;

  Architecture(String id, String dataset, String outDir, int epochs, int batch, float learningRate) {
    this.id = id;
    this.dataset = dataset;
    this.outDir = outDir;
    this.epochs = epochs;
    this.batch = batch;
    this.learningRate = learningRate;
  }

  /** A fresh network (new DJL blocks, new IR nodes). */
  abstract Net build();

  /** Lines for MODEL.md's architecture section. */
  abstract List<String> description();

  /** x/255 in NCHW (N, 1, 28, 28): both datasets are 28x28 grey images. */
  Preprocessing preprocessing() {
    return Preprocessing.divideBy255(-1, 1, 28, 28);
  }

  /** The architecture with this id ({@code dapp}, {@code fashion-resnet}). */
  static Architecture byId(String id) {
    for (Architecture a : values()) {
      if (a.id.equals(id)) {
        return a;
      }
    }
    throw new IllegalArgumentException("unknown model '" + id + "': expected dapp, fashion-resnet or fashion-mobilenetv2");
  }
}
