package io.mrt.ops;

import io.mrt.annotations.Attr;
import io.mrt.annotations.MrtOp;
import io.mrt.api.graph.Shape;
import io.mrt.api.hook.ForwardContext;
import io.mrt.api.hook.ForwardHook;
import io.mrt.api.hook.InferShapeHook;
import io.mrt.api.hook.ShapeContext;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * MXNet {@code BatchNorm} in inference mode: inputs data, gamma, beta, moving_mean, moving_var;
 * {@code y = (x - mean) / sqrt(var + eps) * gamma + beta} along {@code axis} (gamma = 1 when
 * {@code fix_gamma}). The prepare stage folds it away (into the preceding Convolution, or into
 * broadcast_mul/broadcast_add), so it emits no CVM op itself. With {@code output_mean_var} the
 * node has three outputs: the result, the mean and the variance used.
 */
@MrtOp(value = "BatchNorm",
    attrs = {
        @Attr(name = "eps", type = double.class, defaultValue = "0.001"),
        @Attr(name = "momentum", type = double.class, defaultValue = "0.9"),
        @Attr(name = "fix_gamma", type = boolean.class, defaultValue = "True"),
        @Attr(name = "use_global_stats", type = boolean.class, defaultValue = "False"),
        @Attr(name = "output_mean_var", type = boolean.class, defaultValue = "False"),
        @Attr(name = "axis", type = int.class, defaultValue = "1"),
        @Attr(name = "cudnn_off", type = boolean.class, defaultValue = "False")})
public final class BatchNorm implements InferShapeHook, ForwardHook {
  /** For the registry. */
  public BatchNorm() {}

  @Override
  public List<Shape> inferShape(ShapeContext ctx) {
    if (ctx.inputShapes().size() != 5) {
      throw ctx.error("expected 5 inputs (data, gamma, beta, moving_mean, moving_var), found "
          + ctx.inputShapes().size());
    }
    Shape x = ctx.inputShape(0);
    int axis = Tensors.axis(ctx, "axis", ctx.attrs().getInt("axis"), x.rank());
    Shape c = Shape.of(x.dim(axis));
    String[] names = {"data", "gamma", "beta", "moving_mean", "moving_var"};
    for (int i = 1; i < 5; i++) {
      if (!ctx.inputShape(i).equals(c)) {
        throw ctx.error(names[i] + " shape must be " + c + ", found " + ctx.inputShape(i));
      }
    }
    return ctx.attrs().getBool("output_mean_var") ? List.of(x, c, c) : List.of(x);
  }

  @Override
  public List<INDArray> forward(ForwardContext ctx) {
    INDArray x = Tensors.f32(ctx.input(0));
    int axis = Tensors.axis(ctx, "axis", ctx.attrs().getInt("axis"), x.rank());
    long c = x.size(axis);
    double eps = ctx.attrs().getDouble("eps");
    INDArray gamma = ctx.attrs().getBool("fix_gamma")
        ? null : Tensors.f32(ctx.input(1)).reshape(c);
    INDArray beta = Tensors.f32(ctx.input(2)).reshape(c);
    INDArray mean = Tensors.f32(ctx.input(3)).reshape(c);
    INDArray var = Tensors.f32(ctx.input(4)).reshape(c);
    INDArray invStd = Transforms.sqrt(var.add((float) eps), false).rdivi(1f);
    long[] b = new long[x.rank()];
    java.util.Arrays.fill(b, 1);
    b[axis] = c;
    INDArray y = x.sub(mean.reshape(b)).muli(invStd.reshape(b));
    if (gamma != null) {
      y.muli(gamma.reshape(b));
    }
    y.addi(beta.reshape(b));
    if (ctx.attrs().getBool("output_mean_var")) {
      return List.of(y, mean.dup(), var.dup());
    }
    return List.of(y);
  }
}
