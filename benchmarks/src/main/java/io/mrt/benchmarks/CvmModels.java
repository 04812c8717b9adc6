package io.mrt.benchmarks;

import io.mrt.runtime.exec.cvm.CvmRebatch;
import io.mrt.runtime.io.cvm.CvmExt;
import io.mrt.runtime.io.cvm.CvmGraphBuilder;
import io.mrt.runtime.io.cvm.CvmModel;
import io.mrt.runtime.io.cvm.CvmModelReader;
import io.mrt.runtime.io.cvm.CvmModelWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;

/**
 * The CVM graphs of the executor benchmarks. ResNet-20 is the compiled example model (read from
 * disk); the others are CVM graphs with the layer shapes of well-known networks and random int8
 * weights (no accuracy is claimed), each conv2d followed by cvm_clip, relu and cvm_right_shift as
 * compiled models are: a MobileNetV2 (width 0.5) for CIFAR-10, and ResNet-50 v1 and MobileNetV2 1.0
 * at 224x224. {@code main(DIR)} writes the generated ones as compiled model folders for
 * {@code mrt cvm-bench}.
 */
public final class CvmModels {
  private CvmModels() {
  }

  /**
   * The compiled cifar_resnet20_v1 (by default from {@code ./mrt run examples/cifar-resnet20-v1.yaml}),
   * re-batched to {@code n}. The folder is the system property {@code mrt.cvm.resnet20}.
   */
  public static CvmModel resnet20(int n) {
    Path dir = Path.of(System.getProperty("mrt.cvm.resnet20", "mrt-out/cifar-resnet20-v1/cifar_resnet20_v1_cvm"));
    if (!Files.isDirectory(dir)) {
      throw new IllegalStateException("compiled model not found: " + dir.toAbsolutePath() + " (run ./mrt run "
          + "examples/cifar-resnet20-v1.yaml, or pass -Dmrt.cvm.resnet20=DIR)");
    }
    return CvmRebatch.rebatch(CvmModelReader.read(dir), dir.toString(), n);
  }

  /** Builds graphs layer by layer, tracking the current shape. */
  private static final class Net {
    final CvmGraphBuilder b = new CvmGraphBuilder();
    final Random r = new Random(2024);
    final int n;
    int x;
    long c;
    long h;
    long w;
    private int params;

    Net(int n, int c, int hw) {
      this.n = n;
      this.c = c;
      this.h = hw;
      this.w = hw;
      this.x = b.input("data", new long[] {n, c, hw, hw}, 8);
    }

    long[] shape() {
      return new long[] {n, c, h, w};
    }

    /** conv2d(+bias) -> cvm_clip -> [relu] -> cvm_right_shift to int8. */
    int conv(int in, long inC, long o, int k, int stride, int groups, boolean relu) {
      int pad = k / 2;
      long ipg = inC / groups;
      int wt = b.param("w" + params, new long[] {o, ipg, k, k}, 8, r.ints(o * ipg * k * k, -127, 128).toArray());
      int bias = b.param("b" + params++, new long[] {o}, 16, r.ints(o, -2000, 2000).toArray());
      h = (h + 2 * pad - k) / stride + 1;
      w = (w + 2 * pad - k) / stride + 1;
      c = o;
      long[] s = shape();
      int y = b.op("conv2d", Map.of("channels", "" + o, "kernel_size", "(" + k + ", " + k + ")", "strides",
          "(" + stride + ", " + stride + ")", "padding", "(" + pad + ", " + pad + ")", "groups", "" + groups), s, in, wt,
          bias);
      y = b.op("cvm_clip", Map.of("precision", "24"), s, y);
      if (relu) {
        y = b.op("relu", Map.of(), s, y);
      }
      int shift = 7 + (int) (Math.log(ipg * k * k) / Math.log(2)) / 2;
      return b.op("cvm_right_shift", Map.of("precision", "8", "shift_bit", "" + shift), s, y);
    }

    /** elemwise_add -> relu? -> cvm_right_shift(1) back to int8. */
    int add(int a, int bb, boolean relu) {
      long[] s = shape();
      int y = b.op("elemwise_add", Map.of(), s, a, bb);
      if (relu) {
        y = b.op("relu", Map.of(), s, y);
      }
      return b.op("cvm_right_shift", Map.of("precision", "8", "shift_bit", "1"), s, y);
    }

    /** sum over H, W -> right shift -> flatten -> dense(units) -> head. */
    CvmModel head(int in, int units) {
      int shift = (int) Math.ceil(Math.log(h * w) / Math.log(2));
      int y = b.op("sum", Map.of("axis", "(2, 3)"), new long[] {n, c}, in);
      y = b.op("cvm_right_shift", Map.of("precision", "8", "shift_bit", "" + shift), new long[] {n, c}, y);
      int wt = b.param("fc_w", new long[] {units, c}, 8, r.ints(units * c, -127, 128).toArray());
      int bias = b.param("fc_b", new long[] {units}, 16, r.ints(units, -2000, 2000).toArray());
      y = b.op("dense", Map.of("units", "" + units), new long[] {n, units}, y, wt, bias);
      return b.head(y).build();
    }
  }

  /** MobileNetV2 inverted residual blocks (t, c, n, s). */
  private static CvmModel mobilenetV2(int n, int hw, double width, int[][] blocks, int stemStride, int last,
      int classes) {
    Net net = new Net(n, 3, hw);
    int x = net.conv(net.x, 3, ch(32, width), 3, stemStride, 1, true);
    for (int[] blk : blocks) {
      long out = ch(blk[1], width);
      for (int i = 0; i < blk[2]; i++) {
        int stride = i == 0 ? blk[3] : 1;
        long inC = net.c;
        long inH = net.h;
        int in = x;
        int y = in;
        if (blk[0] != 1) {
          y = net.conv(y, inC, inC * blk[0], 1, 1, 1, true);
        }
        long hid = net.c;
        y = net.conv(y, hid, hid, 3, stride, (int) hid, true);
        y = net.conv(y, hid, out, 1, 1, 1, false);
        x = stride == 1 && inC == out && inH == net.h ? net.add(in, y, false) : y;
      }
    }
    x = net.conv(x, net.c, last, 1, 1, 1, true);
    return net.head(x, classes);
  }

  private static long ch(int c, double width) {
    return Math.max(8, Math.round(c * width / 8) * 8);
  }

  private static final int[][] MBV2 = {{1, 16, 1, 1}, {6, 24, 2, 2}, {6, 32, 3, 2}, {6, 64, 4, 2}, {6, 96, 3, 1},
      {6, 160, 3, 2}, {6, 320, 1, 1}};
  private static final int[][] MBV2_CIFAR = {{1, 16, 1, 1}, {6, 24, 2, 1}, {6, 32, 3, 2}, {6, 64, 4, 2},
      {6, 96, 3, 1}, {6, 160, 3, 2}, {6, 320, 1, 1}};

  /** MobileNetV2 width 0.5 for CIFAR-10 (32x32, stem and first stage at stride 1): depthwise-heavy. */
  public static CvmModel mobilenetV2Cifar(int n) {
    return mobilenetV2(n, 32, 0.5, MBV2_CIFAR, 1, 1280, 10);
  }

  /** MobileNetV2 1.0 at 224x224, 1000 classes. */
  public static CvmModel mobilenetV2Imagenet(int n) {
    return mobilenetV2(n, 224, 1.0, MBV2, 2, 1280, 1000);
  }

  /** ResNet-50 v1 at 224x224 (bottleneck blocks 3, 4, 6, 3; stride on the first 1x1 as in v1), 1000 classes. */
  public static CvmModel resnet50(int n) {
    Net net = new Net(n, 3, 224);
    int x = net.conv(net.x, 3, 64, 7, 2, 1, true);
    net.h = (net.h + 2 - 3) / 2 + 1;
    net.w = net.h;
    x = net.b.op("max_pool2d", Map.of("pool_size", "(3, 3)", "strides", "(2, 2)", "padding", "(1, 1)"), net.shape(), x);
    int[] depth = {3, 4, 6, 3};
    int[] width = {64, 128, 256, 512};
    for (int s = 0; s < 4; s++) {
      for (int i = 0; i < depth[s]; i++) {
        int stride = i == 0 && s > 0 ? 2 : 1;
        long inC = net.c;
        long inH = net.h;
        int in = x;
        int y = net.conv(in, inC, width[s], 1, stride, 1, true);
        y = net.conv(y, width[s], width[s], 3, 1, 1, true);
        y = net.conv(y, width[s], width[s] * 4L, 1, 1, 1, false);
        int shortcut = in;
        if (i == 0) {
          long h = net.h;
          net.h = inH;
          net.w = inH;
          shortcut = net.conv(in, inC, width[s] * 4L, 1, stride, 1, false);
          net.h = h;
          net.w = h;
        }
        x = net.add(y, shortcut, true);
      }
    }
    return net.head(x, 1000);
  }

  /** Writes mobilenetv2-cifar-w0.5, mobilenetv2-224 and resnet50-224 (batch given by args[1], default 1) under args[0]. */
  public static void main(String[] args) {
    Path out = Path.of(args.length > 0 ? args[0] : "mrt-out/cvm-bench-models");
    int n = args.length > 1 ? Integer.parseInt(args[1]) : 1;
    write(out.resolve("mobilenetv2-cifar-w0.5"), mobilenetV2Cifar(n));
    write(out.resolve("mobilenetv2-224"), mobilenetV2Imagenet(n));
    write(out.resolve("resnet50-224"), resnet50(n));
  }

  private static void write(Path dir, CvmModel m) {
    CvmModelWriter.write(dir, m, null, null);
    System.out.println("wrote " + dir);
  }
}
