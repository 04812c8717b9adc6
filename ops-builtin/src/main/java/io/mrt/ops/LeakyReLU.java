package io.mrt.ops;

import io.mrt.annotations.Attr;
import io.mrt.annotations.MrtOp;
import io.mrt.api.graph.Entry;
import io.mrt.api.graph.Shape;
import io.mrt.api.hook.ForwardContext;
import io.mrt.api.hook.ForwardHook;
import io.mrt.api.hook.FuseTransposeHook;
import io.mrt.api.hook.InferShapeHook;
import io.mrt.api.hook.OpContext;
import io.mrt.api.hook.RewriteContext;
import io.mrt.api.hook.RewriteHook;
import io.mrt.api.hook.ShapeContext;
import io.mrt.ops.support.ActivationRewrites;
import io.mrt.ops.support.Tensors;
import io.mrt.ops.support.TransposeFusion;
import io.mrt.ops.support.Unary;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * MXNet {@code LeakyReLU} in inference mode. {@code act_type}: {@code leaky}
 * ({@code x > 0 ? x : slope·x}), {@code prelu} (a learned slope per channel of axis 1, the second
 * input), {@code rrelu} (the mean slope {@code (lower_bound + upper_bound) / 2}), {@code elu}
 * ({@code x > 0 ? x : slope·(e^x - 1)}) and {@code selu}. The prepare stage rewrites
 * {@code leaky} into {@code relu(x) - slope·relu(-x)}, so the op emits no CVM op itself.
 */
@MrtOp(value = "LeakyReLU",
    attrs = {
        @Attr(name = "act_type", type = String.class, defaultValue = "leaky"),
        @Attr(name = "slope", type = double.class, defaultValue = "0.25"),
        @Attr(name = "lower_bound", type = double.class, defaultValue = "0.125"),
        @Attr(name = "upper_bound", type = double.class, defaultValue = "0.334")})
public final class LeakyReLU implements InferShapeHook, ForwardHook, RewriteHook, FuseTransposeHook {
  private static final double SELU_ALPHA = 1.6732632423543772848170429916717;
  private static final double SELU_LAMBDA = 1.0507009873554804934193349852946;

  /** For the registry. */
  public LeakyReLU() {}

  private static String actType(OpContext ctx) {
    String t = ctx.attrs().getString("act_type");
    return switch (t) {
      case "leaky", "prelu", "rrelu", "elu", "selu" -> t;
      default -> throw ctx.error("act_type '" + t + "' is not supported (expected leaky, prelu, rrelu, elu or selu)");
    };
  }

  @Override
  public List<Shape> inferShape(ShapeContext ctx) {
    String t = actType(ctx);
    Shape x = ctx.inputShape(0);
    if (t.equals("prelu")) {
      if (ctx.inputShapes().size() != 2) {
        throw ctx.error("prelu expects 2 inputs (data, gamma), found " + ctx.inputShapes().size());
      }
      Shape g = ctx.inputShape(1);
      long c = x.rank() > 1 ? x.dim(1) : 1;
      if (!g.equals(Shape.of(c)) && !g.equals(Shape.of(1))) {
        throw ctx.error("gamma shape must be " + Shape.of(c) + " or (1,), found " + g);
      }
    } else if (ctx.inputShapes().size() != 1) {
      throw ctx.error("expected 1 input, found " + ctx.inputShapes().size());
    }
    return List.of(x);
  }

  @Override
  public List<INDArray> forward(ForwardContext ctx) {
    String t = actType(ctx);
    INDArray x = ctx.input(0);
    float slope = (float) ctx.attrs().getDouble("slope");
    switch (t) {
      case "leaky" -> {
        return List.of(Unary.map(x, v -> v > 0 ? v : slope * v));
      }
      case "rrelu" -> {
        float mean = (float) ((ctx.attrs().getDouble("lower_bound") + ctx.attrs().getDouble("upper_bound")) / 2);
        return List.of(Unary.map(x, v -> v > 0 ? v : mean * v));
      }
      case "elu" -> {
        return List.of(Unary.map(x, v -> v > 0 ? v : (float) (slope * Math.expm1(v))));
      }
      case "selu" -> {
        return List.of(Unary.map(x, v -> (float) (SELU_LAMBDA * (v > 0 ? v : SELU_ALPHA * Math.expm1(v)))));
      }
      default -> {
        float[] v = Tensors.floats(x);
        float[] g = Tensors.floats(ctx.input(1));
        long[] shape = x.shape();
        long inner = 1;
        for (int i = 2; i < shape.length; i++) {
          inner *= shape[i];
        }
        long c = shape.length > 1 ? shape[1] : 1;
        for (int i = 0; i < v.length; i++) {
          float gi = g.length == 1 ? g[0] : g[(int) ((i / inner) % c)];
          v[i] = v[i] > 0 ? v[i] : gi * v[i];
        }
        return List.of(Tensors.of(v, shape));
      }
    }
  }

  @Override
  public List<Entry> rewrite(RewriteContext ctx) {
    return ActivationRewrites.leakyRelu(ctx);
  }

  @Override
  public List<Entry> fuseTranspose(RewriteContext ctx) {
    return TransposeFusion.pushBelowUnary(ctx);
  }
}
