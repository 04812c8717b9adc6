package io.mrt.ops;

import io.mrt.annotations.Attr;
import io.mrt.annotations.MrtOp;
import io.mrt.api.graph.Attrs;
import io.mrt.api.graph.Entry;
import io.mrt.api.graph.Shape;
import io.mrt.api.hook.ForwardContext;
import io.mrt.api.hook.ForwardHook;
import io.mrt.api.hook.InferPrecisionHook;
import io.mrt.api.hook.InferShapeHook;
import io.mrt.api.hook.LowerContext;
import io.mrt.api.hook.LowerToCvmHook;
import io.mrt.api.hook.OpContext;
import io.mrt.api.hook.PrecisionContext;
import io.mrt.api.hook.QuantizeContext;
import io.mrt.api.hook.QuantizeHook;
import io.mrt.api.hook.Quantized;
import io.mrt.api.hook.RewriteContext;
import io.mrt.api.hook.RewriteHook;
import io.mrt.api.hook.ShapeContext;
import io.mrt.ops.support.Lowering;
import io.mrt.ops.support.QuantizeRules;
import io.mrt.ops.support.Shapes;
import io.mrt.ops.support.Tensors;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.enums.WeightsFormat;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Conv2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * MXNet {@code Convolution}, lowered to CVM {@code conv2d}: 2-D NCHW input with OIHW weights, or
 * 1-D NCW input with OIW weights (run as a 2-D convolution of height 1). Groups, strides, padding
 * and dilation follow MXNet; the forward runs ND4J's {@code conv2d} (once per group), or its
 * {@code depthwise_conv2d} when every group has one input channel.
 */
@MrtOp(value = "Convolution",
    attrs = {
        @Attr(name = "kernel", type = int[].class),
        @Attr(name = "num_filter", type = int.class),
        @Attr(name = "stride", type = int[].class, defaultValue = "()"),
        @Attr(name = "pad", type = int[].class, defaultValue = "()"),
        @Attr(name = "dilate", type = int[].class, defaultValue = "()"),
        @Attr(name = "num_group", type = int.class, defaultValue = "1"),
        @Attr(name = "no_bias", type = boolean.class, defaultValue = "False"),
        @Attr(name = "layout", type = String.class, defaultValue = "None")},
    emits = "conv2d", inputPrecision = 8)
public final class Convolution implements InferShapeHook, ForwardHook, RewriteHook, QuantizeHook, InferPrecisionHook,
    LowerToCvmHook {
  /** For the registry. */
  public Convolution() {}

  /** The parsed window of a 1-D or 2-D convolution, always as 2-D (height 1 for 1-D). */
  record Window(int[] kernel, int[] stride, int[] pad, int[] dilate, int groups, int filters, boolean bias, int dims) {
    static Window of(OpContext ctx, int inputRank) {
      Attrs a = ctx.attrs();
      int[] k = a.getInts("kernel");
      if (k.length != 1 && k.length != 2) {
        throw ctx.error("only 1-D and 2-D convolutions are supported, found kernel " + Attrs.tuple(k));
      }
      int dims = k.length;
      if (inputRank != dims + 2) {
        throw ctx.error("a " + dims + "-D convolution needs a " + (dims + 2) + "-D input, found rank " + inputRank);
      }
      String layout = a.getString("layout");
      if (!Attrs.isNone(layout) && !layout.equals(dims == 2 ? "NCHW" : "NCW")) {
        throw ctx.error("layout " + layout + " is not supported (expected " + (dims == 2 ? "NCHW" : "NCW") + ")");
      }
      int[] s = defaulted(ctx, "stride", a.getInts("stride"), dims, 1);
      int[] p = defaulted(ctx, "pad", a.getInts("pad"), dims, 0);
      int[] d = defaulted(ctx, "dilate", a.getInts("dilate"), dims, 1);
      int groups = a.getInt("num_group");
      int filters = a.getInt("num_filter");
      if (groups < 1 || filters < 1 || filters % groups != 0) {
        throw ctx.error("num_filter " + filters + " must be a positive multiple of num_group " + groups);
      }
      if (dims == 1) {
        return new Window(new int[] {1, k[0]}, new int[] {1, s[0]}, new int[] {0, p[0]}, new int[] {1, d[0]},
            groups, filters, !a.getBool("no_bias"), 1);
      }
      return new Window(k, s, p, d, groups, filters, !a.getBool("no_bias"), 2);
    }

    private static int[] defaulted(OpContext ctx, String key, int[] v, int n, int dflt) {
      if (v.length == 0) {
        int[] out = new int[n];
        java.util.Arrays.fill(out, dflt);
        return out;
      }
      return Shapes.expand(ctx, key, v, n);
    }
  }

  @Override
  public List<Shape> inferShape(ShapeContext ctx) {
    Shape x = ctx.inputShape(0);
    Window w = Window.of(ctx, x.rank());
    long c = x.dim(1);
    if (c % w.groups() != 0) {
      throw ctx.error("input channels " + c + " are not divisible by num_group " + w.groups());
    }
    int expectedInputs = w.bias() ? 3 : 2;
    if (ctx.inputShapes().size() != expectedInputs) {
      throw ctx.error("expected " + expectedInputs + " inputs (data, weight" + (w.bias() ? ", bias" : "")
          + "), found " + ctx.inputShapes().size());
    }
    Shape expectedW = w.dims() == 2
        ? Shape.of(w.filters(), c / w.groups(), w.kernel()[0], w.kernel()[1])
        : Shape.of(w.filters(), c / w.groups(), w.kernel()[1]);
    if (!ctx.inputShape(1).equals(expectedW)) {
      throw ctx.error("weight shape must be " + expectedW + ", found " + ctx.inputShape(1));
    }
    if (w.bias() && !ctx.inputShape(2).equals(Shape.of(w.filters()))) {
      throw ctx.error("bias shape must be " + Shape.of(w.filters()) + ", found " + ctx.inputShape(2));
    }
    long ow = Shapes.window(ctx, "width", x.dim(-1), w.kernel()[1], w.stride()[1], w.pad()[1], w.dilate()[1]);
    if (w.dims() == 1) {
      return List.of(Shape.of(x.dim(0), w.filters(), ow));
    }
    long oh = Shapes.window(ctx, "height", x.dim(2), w.kernel()[0], w.stride()[0], w.pad()[0], w.dilate()[0]);
    return List.of(Shape.of(x.dim(0), w.filters(), oh, ow));
  }

  @Override
  public List<INDArray> forward(ForwardContext ctx) {
    INDArray x = Tensors.f32(ctx.input(0));
    Window w = Window.of(ctx, x.rank());
    INDArray weight = Tensors.f32(ctx.input(1));
    INDArray bias = w.bias() ? Tensors.f32(ctx.input(2)) : null;
    boolean oneD = w.dims() == 1;
    if (oneD) {
      x = x.reshape(x.size(0), x.size(1), 1, x.size(2));
      weight = weight.reshape(weight.size(0), weight.size(1), 1, weight.size(2));
    }
    if (w.dilate()[0] != 1 || w.dilate()[w.dilate().length - 1] != 1) {
      // ND4J's oneDNN conv2d refuses dilation: the same sums with a kernel spread out by zeros
      int dh = w.dims() == 1 ? 1 : w.dilate()[0];
      int dw = w.dilate()[w.dilate().length - 1];
      weight = dilated(weight, dh, dw);
      int[] k = {(int) weight.size(2), (int) weight.size(3)};
      int[] one = {1, 1};
      int[] stride = w.dims() == 1 ? new int[] {1, w.stride()[0]} : w.stride();
      int[] pad = w.dims() == 1 ? new int[] {0, w.pad()[0]} : w.pad();
      w = new Window(k, stride, pad, one, w.groups(), w.filters(), w.bias(), 2);
    }
    Conv2DConfig conf = Conv2DConfig.builder()
        .kH(w.kernel()[0]).kW(w.kernel()[1])
        .sH(w.stride()[0]).sW(w.stride()[1])
        .pH(w.pad()[0]).pW(w.pad()[1])
        .dH(w.dilate()[0]).dW(w.dilate()[1])
        .paddingMode(PaddingMode.VALID)
        .dataFormat(Conv2DConfig.NCHW)
        .weightsFormat(WeightsFormat.OIYX)
        .build();
    INDArray y;
    int g = w.groups();
    if (g == 1) {
      y = conv(x, weight, bias, conf, ctx.mayKeepLayout() && !oneD);
    } else if (g == x.size(1)) {
      y = depthwise(x, weight, bias, w, ctx.mayKeepLayout() && !oneD);
    } else {
      long cg = x.size(1) / g;
      long fg = w.filters() / g;
      List<INDArray> parts = new ArrayList<>();
      for (int i = 0; i < g; i++) {
        INDArray xi = x.get(NDArrayIndex.all(), NDArrayIndex.interval(i * cg, (i + 1) * cg)).dup('c');
        INDArray wi = weight.get(NDArrayIndex.interval(i * fg, (i + 1) * fg)).dup('c');
        INDArray bi = bias == null ? null : bias.get(NDArrayIndex.interval(i * fg, (i + 1) * fg)).dup('c');
        parts.add(conv(xi, wi, bi, conf, false));
      }
      y = Nd4j.concat(1, parts.toArray(new INDArray[0]));
    }
    if (oneD) {
      y = y.reshape(y.size(0), y.size(1), y.size(3));
    }
    return List.of(y);
  }

  /**
   * One group per input channel (MobileNet's depthwise convolutions): one ND4J
   * {@code depthwise_conv2d} instead of a convolution per channel. MXNet's weight
   * {@code [C·m, 1, kh, kw]} (output channel {@code c·m + j} reads input channel {@code c})
   * becomes ND4J's {@code [kh, kw, C, m]}, whose output channels are ordered the same way.
   */
  private static INDArray depthwise(INDArray x, INDArray weight, INDArray bias, Window w, boolean keepNhwc) {
    long c = x.size(1);
    long m = weight.size(0) / c;
    INDArray dw = weight.reshape('c', c, m, weight.size(2), weight.size(3)).permute(2, 3, 0, 1).dup('c');
    Conv2DConfig conf = Conv2DConfig.builder()
        .kH(w.kernel()[0]).kW(w.kernel()[1])
        .sH(w.stride()[0]).sW(w.stride()[1])
        .pH(w.pad()[0]).pW(w.pad()[1])
        .dH(w.dilate()[0]).dW(w.dilate()[1])
        .paddingMode(PaddingMode.VALID)
        .dataFormat(Conv2DConfig.NCHW)
        .build();
    if (Tensors.nhwcView(x)) {
      // the NHWC buffer itself in ND4J's NHWC format: no copy to NCHW and no reorder back inside
      // oneDNN (16x96x32x32: 67 ms -> 3 ms), the same bits; the output is NHWC too
      INDArray xn = x.permute(0, 2, 3, 1);
      Conv2DConfig nhwc = Conv2DConfig.builder()
          .kH(w.kernel()[0]).kW(w.kernel()[1])
          .sH(w.stride()[0]).sW(w.stride()[1])
          .pH(w.pad()[0]).pW(w.pad()[1])
          .dH(w.dilate()[0]).dW(w.dilate()[1])
          .paddingMode(PaddingMode.VALID)
          .dataFormat(Conv2DConfig.NHWC)
          .build();
      INDArray y = bias == null ? Nd4j.cnn().depthWiseConv2d(xn, dw, nhwc) : Nd4j.cnn().depthWiseConv2d(xn, dw, bias, nhwc);
      if (keepNhwc) {
        return y.permute(0, 3, 1, 2);
      }
      INDArray r = y.permute(0, 3, 1, 2).dup('c');
      y.close();
      return r;
    }
    INDArray xc = x.isView() || !Tensors.rowMajor(x) ? x.dup('c') : x;
    return bias == null ? Nd4j.cnn().depthWiseConv2d(xc, dw, conf) : Nd4j.cnn().depthWiseConv2d(xc, dw, bias, conf);
  }

  /** An OIHW kernel with {@code dh - 1} zero rows and {@code dw - 1} zero columns between its taps. */
  static INDArray dilated(INDArray weight, int dh, int dw) {
    long o = weight.size(0);
    long i = weight.size(1);
    long kh = weight.size(2);
    long kw = weight.size(3);
    long eh = (kh - 1) * dh + 1;
    long ew = (kw - 1) * dw + 1;
    float[] src = Tensors.floats(weight);
    float[] dst = new float[Math.toIntExact(o * i * eh * ew)];
    for (long a = 0; a < o * i; a++) {
      for (long y = 0; y < kh; y++) {
        for (long x = 0; x < kw; x++) {
          dst[(int) ((a * eh + y * dh) * ew + x * dw)] = src[(int) ((a * kh + y) * kw + x)];
        }
      }
    }
    return Nd4j.create(dst, new long[] {o, i, eh, ew}, 'c');
  }

  /**
   * ND4J's oneDNN conv2d computes in NHWC. Given an NCHW output array it reorders that array into
   * NHWC before the convolution writes it and back after; given an NCHW-shaped view of an NHWC
   * buffer it hands the view's strides to oneDNN and writes the buffer directly. So the output is
   * written into an NHWC buffer and copied to NCHW once: one reorder instead of two, the same bits.
   * When the caller keeps layouts ({@code keepNhwc}) the view itself is the output (no reorder),
   * and an input that is such a view goes to oneDNN as is (no reorder either); any other
   * non-row-major input is copied to row-major first.
   */
  private static INDArray conv(INDArray x, INDArray w, INDArray b, Conv2DConfig conf, boolean keepNhwc) {
    INDArray xc = x.isView() || !(Tensors.rowMajor(x) || Tensors.nhwcView(x)) ? x.dup('c') : x;
    INDArray wc = w.isView() ? w.dup('c') : w;
    long oh = (xc.size(2) + 2L * conf.getPH() - (long) conf.getDH() * (conf.getKH() - 1) - 1) / conf.getSH() + 1;
    long ow = (xc.size(3) + 2L * conf.getPW() - (long) conf.getDW() * (conf.getKW() - 1) - 1) / conf.getSW() + 1;
    if (oh < 1 || ow < 1 || xc.size(0) < 1) {
      xc = Tensors.rowMajor(xc) ? xc : xc.dup('c');
      return b == null ? Nd4j.cnn().conv2d(xc, wc, conf) : Nd4j.cnn().conv2d(xc, wc, b, conf);
    }
    INDArray nhwc = Nd4j.createUninitialized(DataType.FLOAT, new long[] {xc.size(0), oh, ow, wc.size(0)}, 'c');
    INDArray[] in = b == null ? new INDArray[] {xc, wc} : new INDArray[] {xc, wc, b};
    Nd4j.exec(new Conv2D(in, new INDArray[] {nhwc.permute(0, 3, 1, 2)}, conf));
    if (keepNhwc) {
      return nhwc.permute(0, 3, 1, 2);
    }
    INDArray y = nhwc.permute(0, 3, 1, 2).dup('c');
    nhwc.close();
    return y;
  }

  /** MRT's {@code _quantize_xwb}: see {@link QuantizeRules#xwb}. */
  @Override
  public Quantized quantize(QuantizeContext ctx) {
    return QuantizeRules.xwb(ctx, ctx.attrs().getBool("no_bias"));
  }

  /** conv2d: inputs of at most 8 bits; {@code ip0 + ip1 + bitCount(C/g*kh*kw)} (+ bias). */
  @Override
  public List<Integer> inferPrecision(PrecisionContext ctx) {
    return QuantizeRules.xwbPrecision(ctx, ctx.attrs().getBool("no_bias"));
  }

  /** A 1-D (NCW) convolution becomes a 2-D one between expand_dims and squeeze: see {@link ConvolutionRewrite}. */
  @Override
  public List<Entry> rewrite(RewriteContext ctx) {
    return ConvolutionRewrite.rewrite(ctx);
  }

  /** MRT's compile: CVM {@code conv2d} (2-D only; the prepare stage turns NCW into NCHW). */
  @Override
  public List<Entry> lowerToCvm(LowerContext ctx) {
    Window w = Window.of(ctx, ctx.shapeOf(ctx.input(0)).rank());
    if (w.dims() != 2) {
      throw ctx.error("a 1-D convolution cannot be lowered to the CVM's conv2d; the prepare stage rewrites NCW into NCHW");
    }
    io.mrt.api.graph.Attrs a = io.mrt.api.graph.Attrs.of("channels", String.valueOf(w.filters()),
        "kernel_size", Lowering.tuple(w.kernel()), "strides", Lowering.tuple(w.stride()),
        "padding", Lowering.tuple(w.pad()), "dilation", Lowering.tuple(w.dilate()),
        "groups", String.valueOf(w.groups()), "layout", "NCHW", "kernel_layout", "OIHW",
        "use_bias", Lowering.bool(w.bias()));
    return List.of(ctx.emit("conv2d", a, ctx.inputs().toArray(Entry[]::new)));
  }
}
