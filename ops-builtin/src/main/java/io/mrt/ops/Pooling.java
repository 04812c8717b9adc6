package io.mrt.ops;

import io.mrt.annotations.Attr;
import io.mrt.annotations.MrtOp;
import io.mrt.api.graph.Attrs;
import io.mrt.api.graph.Entry;
import io.mrt.api.graph.Shape;
import io.mrt.api.hook.ForwardContext;
import io.mrt.api.hook.ForwardHook;
import io.mrt.api.hook.InferShapeHook;
import io.mrt.api.hook.LowerContext;
import io.mrt.api.hook.LowerToCvmHook;
import io.mrt.api.hook.OpContext;
import io.mrt.api.hook.QuantizeContext;
import io.mrt.api.hook.QuantizeHook;
import io.mrt.api.hook.Quantized;
import io.mrt.api.hook.RewriteContext;
import io.mrt.api.hook.RewriteHook;
import io.mrt.api.hook.ShapeContext;
import io.mrt.ops.support.Lowering;
import io.mrt.ops.support.Shapes;
import io.mrt.ops.support.Tensors;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling2DConfig;
import org.nd4j.linalg.factory.Nd4j;

/**
 * MXNet {@code Pooling} on NCHW input: {@code pool_type} max, avg or sum; {@code global_pool}
 * (the window is the whole plane); {@code pooling_convention} valid (floor) or full (ceil);
 * {@code count_include_pad} for avg. The arithmetic is MXNet's CPU kernel: an avg window is
 * clipped to the padded input for its divisor (or to the input when padding is not counted), a
 * max window to the input. Lowered to CVM {@code max_pool2d}; the prepare stage rewrites avg
 * pooling into a depthwise convolution or a sum.
 */
@MrtOp(value = "Pooling",
    attrs = {
        @Attr(name = "kernel", type = int[].class, defaultValue = "()"),
        @Attr(name = "pool_type", type = String.class, defaultValue = "max"),
        @Attr(name = "global_pool", type = boolean.class, defaultValue = "False"),
        @Attr(name = "stride", type = int[].class, defaultValue = "()"),
        @Attr(name = "pad", type = int[].class, defaultValue = "()"),
        @Attr(name = "pooling_convention", type = String.class, defaultValue = "valid"),
        @Attr(name = "count_include_pad", type = boolean.class, defaultValue = "True"),
        @Attr(name = "layout", type = String.class, defaultValue = "None"),
        @Attr(name = "cudnn_off", type = boolean.class, defaultValue = "False")},
    emits = "max_pool2d")
public final class Pooling implements InferShapeHook, ForwardHook, RewriteHook, QuantizeHook, LowerToCvmHook {
  /** For the registry. */
  public Pooling() {}

  /** The resolved window of one node for an input of height h and width w. */
  record Window(String type, int kh, int kw, int sh, int sw, int ph, int pw, int oh, int ow, boolean includePad) {
    static Window of(OpContext ctx, Shape x) {
      Attrs a = ctx.attrs();
      if (x.rank() != 4) {
        throw ctx.error("input must be 4-D NCHW, found " + x);
      }
      String layout = a.getString("layout");
      if (!Attrs.isNone(layout) && !layout.equals("NCHW")) {
        throw ctx.error("layout " + layout + " is not supported (expected NCHW)");
      }
      String type = a.getString("pool_type");
      if (!type.equals("max") && !type.equals("avg") && !type.equals("sum")) {
        throw ctx.error("pool_type '" + type + "' is not supported (expected max, avg or sum)");
      }
      int h = Math.toIntExact(x.dim(2));
      int w = Math.toIntExact(x.dim(3));
      boolean include = a.getBool("count_include_pad");
      if (a.getBool("global_pool")) {
        return new Window(type, h, w, 1, 1, 0, 0, 1, 1, include);
      }
      int[] k = a.getInts("kernel");
      if (k.length != 2) {
        throw ctx.error("attribute 'kernel' must have 2 values, found " + Attrs.tuple(k));
      }
      int[] s = a.getInts("stride").length == 0 ? new int[] {1, 1} : Shapes.expand(ctx, "stride", a.getInts("stride"), 2);
      int[] p = a.getInts("pad").length == 0 ? new int[] {0, 0} : Shapes.expand(ctx, "pad", a.getInts("pad"), 2);
      String conv = a.getString("pooling_convention");
      if (!conv.equals("valid") && !conv.equals("full")) {
        throw ctx.error("pooling_convention '" + conv + "' is not supported (expected valid or full)");
      }
      boolean full = conv.equals("full");
      Shapes.checkPool(ctx, k, p);
      int[] out = new int[2];
      int[] in = {h, w};
      for (int i = 0; i < 2; i++) {
        if (s[i] < 1) {
          throw ctx.error("stride must be >= 1, found " + Attrs.tuple(s));
        }
        int padded = in[i] + 2 * p[i];
        if (padded < k[i]) {
          throw ctx.error("kernel " + Attrs.tuple(k) + " is larger than the padded input (" + (h + 2 * p[0]) + ", "
              + (w + 2 * p[1]) + ")");
        }
        out[i] = full ? 1 + (padded - k[i] + s[i] - 1) / s[i] : 1 + (padded - k[i]) / s[i];
      }
      return new Window(type, k[0], k[1], s[0], s[1], p[0], p[1], out[0], out[1], include);
    }
  }

  @Override
  public List<Shape> inferShape(ShapeContext ctx) {
    Shape x = ctx.inputShape(0);
    Window w = Window.of(ctx, x);
    return List.of(Shape.of(x.dim(0), x.dim(1), w.oh(), w.ow()));
  }

  @Override
  public List<INDArray> forward(ForwardContext ctx) {
    INDArray input = ctx.input(0);
    Shape xs = Tensors.shape(input);
    Window win = Window.of(ctx, xs);
    if (win.type().equals("max") && win.ph() == 0 && win.pw() == 0 && xs.dim(2) >= win.kh() && xs.dim(3) >= win.kw()
        && win.oh() == (xs.dim(2) - win.kh()) / win.sh() + 1 && win.ow() == (xs.dim(3) - win.kw()) / win.sw() + 1) {
      // unpadded max pooling with floor windows: ND4J's maxpool2d (oneDNN's), the same maxima
      Pooling2DConfig conf = Pooling2DConfig.builder().kH(win.kh()).kW(win.kw()).sH(win.sh()).sW(win.sw())
          .pH(0).pW(0).dH(1).dW(1).paddingMode(PaddingMode.VALID).isNHWC(false).build();
      INDArray x = Tensors.f32(input);
      return List.of(Nd4j.cnn().maxPooling2d(x.isView() ? x.dup('c') : x, conf));
    }
    // the values read in place from the native buffer: a global pool of resnet20 at batch 64 would
    // otherwise copy 1 MiB to the heap per run
    INDArray c = Tensors.cContiguous(input);
    try {
      return List.of(pool(Tensors.values(c), xs, win));
    } finally {
      if (c != input && c.closeable()) {
        c.close();
      }
    }
  }

  /** Pools the c-order NCHW values {@code x} of shape {@code xs}. */
  private static INDArray pool(java.nio.FloatBuffer x, Shape xs, Window win) {
    int planes = Math.toIntExact(xs.dim(0) * xs.dim(1));
    int h = (int) xs.dim(2);
    int w = (int) xs.dim(3);
    int oh = win.oh();
    int ow = win.ow();
    float[] y = new float[Math.multiplyExact(planes, oh * ow)];
    boolean max = win.type().equals("max");
    boolean avg = win.type().equals("avg");
    for (int p = 0; p < planes; p++) {
      int base = p * h * w;
      int obase = p * oh * ow;
      for (int i = 0; i < oh; i++) {
        for (int j = 0; j < ow; j++) {
          int hs = i * win.sh() - win.ph();
          int ws = j * win.sw() - win.pw();
          float v;
          if (max) {
            int he = Math.min(hs + win.kh(), h);
            int we = Math.min(ws + win.kw(), w);
            v = Float.NEGATIVE_INFINITY;
            for (int r = Math.max(hs, 0); r < he; r++) {
              for (int c = Math.max(ws, 0); c < we; c++) {
                v = Math.max(v, x.get(base + r * w + c));
              }
            }
          } else {
            int he = Math.min(hs + win.kh(), h + win.ph());
            int we = Math.min(ws + win.kw(), w + win.pw());
            int count = (he - hs) * (we - ws);
            int r0 = Math.max(hs, 0);
            int c0 = Math.max(ws, 0);
            he = Math.min(he, h);
            we = Math.min(we, w);
            if (!win.includePad()) {
              count = (he - r0) * (we - c0);
            }
            float sum = 0f;
            for (int r = r0; r < he; r++) {
              for (int c = c0; c < we; c++) {
                sum += x.get(base + r * w + c);
              }
            }
            v = avg ? (count > 0 ? sum / count : 0f) : sum;
          }
          y[obase + i * ow + j] = v;
        }
      }
    }
    return Tensors.of(y, xs.dim(0), xs.dim(1), oh, ow);
  }

  @Override
  public List<Entry> rewrite(RewriteContext ctx) {
    return PoolingRewrite.rewrite(ctx);
  }

  /** Max pooling keeps the input's scale and precision (MRT's default); average pooling must have been rewritten by the prepare stage. */
  @Override
  public Quantized quantize(QuantizeContext ctx) {
    requireMax(ctx);
    return ctx.keepScale();
  }

  private static void requireMax(OpContext ctx) {
    String type = ctx.attrs().getString("pool_type");
    if (!"max".equals(type)) {
      throw ctx.error("pool_type '" + type + "' has no integer form; the prepare stage rewrites average "
          + "pooling into a depthwise Convolution or a sum (run prepare first)");
    }
  }

  /** CVM {@code max_pool2d} (a global pool becomes a window over the whole input, as the runtime has no global pooling). */
  @Override
  public List<Entry> lowerToCvm(LowerContext ctx) {
    requireMax(ctx);
    Window w = Window.of(ctx, ctx.shapeOf(ctx.input(0)));
    boolean full = !ctx.attrs().getBool("global_pool") && ctx.attrs().getString("pooling_convention").equals("full");
    io.mrt.api.graph.Attrs a = io.mrt.api.graph.Attrs.of("pool_size", Lowering.tuple(w.kh(), w.kw()),
        "strides", Lowering.tuple(w.sh(), w.sw()), "padding", Lowering.tuple(w.ph(), w.pw()),
        "ceil_mode", Lowering.bool(full));
    return List.of(ctx.emit("max_pool2d", a, ctx.input(0)));
  }
}
