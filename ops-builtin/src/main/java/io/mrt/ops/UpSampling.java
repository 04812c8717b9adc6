package io.mrt.ops;

import io.mrt.annotations.Attr;
import io.mrt.annotations.MrtOp;
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
import io.mrt.api.hook.ShapeContext;
import io.mrt.ops.support.ShapeOf;
import io.mrt.ops.support.Tensors;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * MXNet {@code UpSampling} with {@code sample_type=nearest} and one input: every pixel of an NCHW
 * input becomes a {@code scale × scale} block. Lowered to CVM {@code upsampling}.
 */
@MrtOp(value = "UpSampling",
    attrs = {
        @Attr(name = "scale", type = int.class),
        @Attr(name = "sample_type", type = String.class),
        @Attr(name = "num_args", type = int.class, defaultValue = "1"),
        @Attr(name = "num_filter", type = int.class, defaultValue = "0"),
        @Attr(name = "multi_input_mode", type = String.class, defaultValue = "concat"),
        @Attr(name = "workspace", type = long.class, defaultValue = "512")},
    emits = "upsampling")
public final class UpSampling implements InferShapeHook, ForwardHook, QuantizeHook, LowerToCvmHook {
  /** For the registry. */
  public UpSampling() {}

  private static int scale(OpContext ctx) {
    if (!ctx.attrs().getString("sample_type").equals("nearest")) {
      throw ctx.error("sample_type '" + ctx.attrs().getString("sample_type") + "' is not supported (expected nearest)");
    }
    if (ctx.attrs().getInt("num_args") != 1) {
      throw ctx.error("only num_args=1 is supported, found " + ctx.attrs().getInt("num_args"));
    }
    int s = ctx.attrs().getInt("scale");
    if (s < 1) {
      throw ctx.error("scale must be >= 1, found " + s);
    }
    return s;
  }

  @Override
  public List<Shape> inferShape(ShapeContext ctx) {
    int s = scale(ctx);
    Shape x = ctx.inputShape(0);
    if (x.rank() != 4) {
      throw ctx.error("input must be 4-D NCHW, found " + x);
    }
    return List.of(Shape.of(x.dim(0), x.dim(1), x.dim(2) * s, x.dim(3) * s));
  }

  @Override
  public List<INDArray> forward(ForwardContext ctx) {
    Shape out = inferShape(ShapeOf.inputs(ctx)).get(0);
    int s = scale(ctx);
    INDArray input = ctx.input(0);
    float[] x = Tensors.floats(input);
    int planes = (int) (out.dim(0) * out.dim(1));
    int h = (int) input.size(2);
    int w = (int) input.size(3);
    int oh = h * s;
    int ow = w * s;
    float[] y = new float[Math.multiplyExact(planes, oh * ow)];
    for (int p = 0; p < planes; p++) {
      for (int i = 0; i < oh; i++) {
        for (int j = 0; j < ow; j++) {
          y[(p * oh + i) * ow + j] = x[(p * h + i / s) * w + j / s];
        }
      }
    }
    return List.of(Tensors.of(y, out.dims()));
  }

  /** MRT's default: the input's scale and precision pass through. */
  @Override
  public Quantized quantize(QuantizeContext ctx) {
    return ctx.keepScale();
  }

  /** CVM {@code upsampling} (nearest). */
  @Override
  public List<Entry> lowerToCvm(LowerContext ctx) {
    return List.of(ctx.emit("upsampling", io.mrt.api.graph.Attrs.of("scale", String.valueOf(scale(ctx))), ctx.input(0)));
  }
}
