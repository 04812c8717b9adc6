package io.mrt.ops;

import io.mrt.annotations.Attr;
import io.mrt.annotations.MrtOp;
import io.mrt.api.graph.Entry;
import io.mrt.api.graph.Shape;
import io.mrt.api.hook.ForwardContext;
import io.mrt.api.hook.ForwardHook;
import io.mrt.api.hook.InferShapeHook;
import io.mrt.api.hook.RewriteContext;
import io.mrt.api.hook.RewriteHook;
import io.mrt.api.hook.ShapeContext;
import io.mrt.ops.support.BatchNormRewrite;
import io.mrt.ops.support.Tensors;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * MXNet {@code BatchNorm} in inference mode: inputs data, gamma, beta, moving_mean, moving_var;
 * {@code y = (x - mean) · gamma / sqrt(var + eps) + beta} along {@code axis} (gamma = 1 when
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
public final class BatchNorm implements InferShapeHook, ForwardHook, RewriteHook {
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
    INDArray input = Tensors.f32(ctx.input(0));
    long[] shape = input.shape();
    int axis = Tensors.axis(ctx, "axis", ctx.attrs().getInt("axis"), shape.length);
    int c = (int) shape[axis];
    double eps = ctx.attrs().getDouble("eps");
    boolean fixGamma = ctx.attrs().getBool("fix_gamma");
    INDArray mean = Tensors.f32(ctx.input(3));
    INDArray var = Tensors.f32(ctx.input(4));
    INDArray y;
    if (shape.length >= 2 && shape.length <= 5 && input.length() > 0) {
      // ND4J's batchnorm (oneDNN's for NCHW): y = (x - mean) / sqrt(var + eps) * gamma + beta, in one native pass
      INDArray gamma = fixGamma ? Nd4j.ones(DataType.FLOAT, c) : Tensors.f32(ctx.input(1));
      INDArray x = input.isView() ? input.dup('c') : input;
      y = Nd4j.exec(new org.nd4j.linalg.api.ops.impl.layers.convolution.BatchNorm(x, mean, var, gamma,
          Tensors.f32(ctx.input(2)), eps, axis))[0];
    } else {
      y = normalize(input, axis, (float) eps, fixGamma, Tensors.floats(ctx.input(1)), Tensors.floats(ctx.input(2)),
          Tensors.floats(mean), Tensors.floats(var));
    }
    if (ctx.attrs().getBool("output_mean_var")) {
      return List.of(y, mean.dup('c'), var.dup('c'));
    }
    return List.of(y);
  }

  /** {@code y = (x - mean) * (gamma / sqrt(var + eps)) + beta} along {@code axis}, one pass in float32 on the heap. */
  private static INDArray normalize(INDArray input, int axis, float eps, boolean fixGamma, float[] gamma, float[] beta,
      float[] mean, float[] var) {
    long[] shape = input.shape();
    int c = (int) shape[axis];
    float[] scale = new float[c];
    for (int k = 0; k < c; k++) {
      float invStd = 1f / (float) Math.sqrt(var[k] + eps);
      scale[k] = fixGamma ? invStd : gamma[k] * invStd;
    }
    float[] x = Tensors.floats(input);
    int inner = (int) Tensors.strides(shape)[axis];
    int outer = x.length / Math.max(inner * c, 1);
    int i = 0;
    for (int o = 0; o < outer; o++) {
      for (int k = 0; k < c; k++) {
        float m = mean[k];
        float s = scale[k];
        float b = beta[k];
        for (int j = 0; j < inner; j++, i++) {
          x[i] = (x[i] - m) * s + b;
        }
      }
    }
    return Tensors.of(x, shape);
  }

  @Override
  public List<Entry> rewrite(RewriteContext ctx) {
    return BatchNormRewrite.rewrite(ctx);
  }
}
