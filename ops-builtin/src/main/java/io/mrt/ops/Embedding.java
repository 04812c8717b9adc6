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
import io.mrt.api.hook.QuantizeContext;
import io.mrt.api.hook.QuantizeHook;
import io.mrt.api.hook.Quantized;
import io.mrt.api.hook.ShapeContext;
import io.mrt.ops.support.QuantizeRules;
import io.mrt.ops.support.ShapeOf;
import io.mrt.ops.support.Tensors;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * MXNet {@code Embedding}: row {@code data[i]} of the weight (input_dim, output_dim) for every
 * index; indices are truncated to integers and clipped to [0, input_dim - 1] as MXNet does. The
 * output shape is data's shape followed by output_dim. Lowered to CVM {@code take}.
 */
@MrtOp(value = "Embedding",
    attrs = {
        @Attr(name = "input_dim", type = long.class),
        @Attr(name = "output_dim", type = long.class),
        @Attr(name = "dtype", type = String.class, defaultValue = "float32"),
        @Attr(name = "sparse_grad", type = boolean.class, defaultValue = "False")},
    emits = "take", inputPrecision = 16)
public final class Embedding implements InferShapeHook, ForwardHook, QuantizeHook, LowerToCvmHook {
  /** For the registry. */
  public Embedding() {}

  @Override
  public List<Shape> inferShape(ShapeContext ctx) {
    if (ctx.inputShapes().size() != 2) {
      throw ctx.error("expected 2 inputs (data, weight), found " + ctx.inputShapes().size());
    }
    long in = ctx.attrs().getLong("input_dim");
    long out = ctx.attrs().getLong("output_dim");
    if (!ctx.inputShape(1).equals(Shape.of(in, out))) {
      throw ctx.error("weight shape must be " + Shape.of(in, out) + ", found " + ctx.inputShape(1));
    }
    Shape d = ctx.inputShape(0);
    long[] o = java.util.Arrays.copyOf(d.dims(), d.rank() + 1);
    o[d.rank()] = out;
    return List.of(Shape.of(o));
  }

  @Override
  public List<INDArray> forward(ForwardContext ctx) {
    Shape out = inferShape(ShapeOf.inputs(ctx)).get(0);
    float[] idx = Tensors.floats(ctx.input(0));
    float[] w = Tensors.floats(ctx.input(1));
    int rows = (int) ctx.attrs().getLong("input_dim");
    int dim = (int) ctx.attrs().getLong("output_dim");
    float[] y = new float[Math.multiplyExact(idx.length, dim)];
    for (int i = 0; i < idx.length; i++) {
      int r = Math.max(0, Math.min(rows - 1, (int) idx[i]));
      System.arraycopy(w, r * dim, y, i * dim, dim);
    }
    return List.of(Tensors.of(y, out.dims()));
  }

  /** MRT's Embedding: see {@link QuantizeRules#embedding}. */
  @Override
  public Quantized quantize(QuantizeContext ctx) {
    return QuantizeRules.embedding(ctx);
  }

  /** MRT's compile: CVM {@code take(weight, indices, axis=0)}. */
  @Override
  public List<Entry> lowerToCvm(LowerContext ctx) {
    return List.of(ctx.emit("take", io.mrt.api.graph.Attrs.of("axis", "0"), ctx.input(1), ctx.input(0)));
  }
}
