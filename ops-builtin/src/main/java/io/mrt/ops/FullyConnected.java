package io.mrt.ops;

import io.mrt.annotations.Attr;
import io.mrt.annotations.MrtOp;
import io.mrt.api.graph.Entry;
import io.mrt.api.graph.Shape;
import io.mrt.api.hook.ForwardContext;
import io.mrt.api.hook.ForwardHook;
import io.mrt.api.hook.InferPrecisionHook;
import io.mrt.api.hook.InferShapeHook;
import io.mrt.api.hook.LowerContext;
import io.mrt.api.hook.LowerToCvmHook;
import io.mrt.api.hook.PrecisionContext;
import io.mrt.api.hook.QuantizeContext;
import io.mrt.api.hook.QuantizeHook;
import io.mrt.api.hook.Quantized;
import io.mrt.api.hook.RewriteContext;
import io.mrt.api.hook.RewriteHook;
import io.mrt.api.hook.ShapeContext;
import io.mrt.ops.support.DenseRewrite;
import io.mrt.ops.support.Lowering;
import io.mrt.ops.support.QuantizeRules;
import io.mrt.ops.support.Tensors;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * MXNet {@code FullyConnected}: {@code y = x W^T + b} with W of shape (num_hidden, K). With
 * {@code flatten=True} the input is flattened to (N, K); otherwise the last axis is K and the
 * leading axes are kept. Lowered to CVM {@code dense} (with {@code flatten}/{@code reshape}).
 */
@MrtOp(value = "FullyConnected",
    attrs = {
        @Attr(name = "num_hidden", type = int.class),
        @Attr(name = "no_bias", type = boolean.class, defaultValue = "False"),
        @Attr(name = "flatten", type = boolean.class, defaultValue = "True")},
    emits = {"dense", "flatten", "reshape"}, inputPrecision = 8)
public final class FullyConnected implements InferShapeHook, ForwardHook, RewriteHook, QuantizeHook, InferPrecisionHook, LowerToCvmHook {
  /** For the registry. */
  public FullyConnected() {}

  @Override
  public List<Shape> inferShape(ShapeContext ctx) {
    Shape x = ctx.inputShape(0);
    int units = ctx.attrs().getInt("num_hidden");
    boolean flatten = ctx.attrs().getBool("flatten");
    boolean bias = !ctx.attrs().getBool("no_bias");
    if (ctx.inputShapes().size() != (bias ? 3 : 2)) {
      throw ctx.error("expected " + (bias ? 3 : 2) + " inputs (data, weight" + (bias ? ", bias" : "")
          + "), found " + ctx.inputShapes().size());
    }
    if (x.rank() < 1 || (flatten && x.rank() < 2)) {
      throw ctx.error("input rank " + x.rank() + " is too small");
    }
    long k = flatten ? x.size() / x.dim(0) : x.dim(-1);
    Shape w = ctx.inputShape(1);
    if (!w.equals(Shape.of(units, k))) {
      throw ctx.error("weight shape must be " + Shape.of(units, k) + ", found " + w);
    }
    if (bias && !ctx.inputShape(2).equals(Shape.of(units))) {
      throw ctx.error("bias shape must be " + Shape.of(units) + ", found " + ctx.inputShape(2));
    }
    return List.of(flatten ? Shape.of(x.dim(0), units) : x.withDim(-1, units));
  }

  @Override
  public List<INDArray> forward(ForwardContext ctx) {
    INDArray x = Tensors.f32(ctx.input(0));
    INDArray w = Tensors.f32(ctx.input(1));
    boolean flatten = ctx.attrs().getBool("flatten");
    long units = w.size(0);
    long k = w.size(1);
    long rows = x.length() / k;
    INDArray x2 = x.dup('c').reshape('c', rows, k);
    INDArray y = x2.mmul(w.transpose());
    if (!ctx.attrs().getBool("no_bias")) {
      y.addiRowVector(Tensors.f32(ctx.input(2)).reshape(units));
    }
    if (flatten) {
      return List.of(y);
    }
    long[] shape = x.shape().clone(); // never write into ND4J's own shape array
    shape[shape.length - 1] = units;
    return List.of(y.reshape('c', shape));
  }

  @Override
  public List<Entry> rewrite(RewriteContext ctx) {
    return DenseRewrite.rewrite(ctx);
  }

  /** MRT's {@code _quantize_xwb}: see {@link QuantizeRules#xwb}. */
  @Override
  public Quantized quantize(QuantizeContext ctx) {
    return QuantizeRules.xwb(ctx, ctx.attrs().getBool("no_bias"));
  }

  /** dense: inputs of at most 8 bits; {@code ip0 + ip1 + bitCount(K)} (+ bias). */
  @Override
  public List<Integer> inferPrecision(PrecisionContext ctx) {
    return QuantizeRules.xwbPrecision(ctx, ctx.attrs().getBool("no_bias"));
  }

  /** MRT's compile: CVM {@code dense} on a 2-D input ({@code flatten} first when flatten=True; without flatten a reshape to 2-D and back). */
  @Override
  public List<Entry> lowerToCvm(LowerContext ctx) {
    Shape x = ctx.shapeOf(ctx.input(0));
    int units = ctx.attrs().getInt("num_hidden");
    boolean bias = !ctx.attrs().getBool("no_bias");
    io.mrt.api.graph.Attrs dense = io.mrt.api.graph.Attrs.of("units", String.valueOf(units), "use_bias", Lowering.bool(bias));
    java.util.List<Entry> in = new java.util.ArrayList<>(ctx.inputs());
    if (x.rank() == 2) {
      return List.of(ctx.emit("dense", dense, in.toArray(Entry[]::new)));
    }
    if (ctx.attrs().getBool("flatten")) {
      in.set(0, ctx.emit("flatten", io.mrt.api.graph.Attrs.empty(), in.get(0)));
      return List.of(ctx.emit("dense", dense, in.toArray(Entry[]::new)));
    }
    long k = x.dim(-1);
    in.set(0, ctx.emit("reshape", io.mrt.api.graph.Attrs.of("shape", Lowering.tuple(x.size() / k, k)), in.get(0)));
    Entry y = ctx.emit("dense", dense, in.toArray(Entry[]::new));
    return List.of(ctx.emit("reshape", io.mrt.api.graph.Attrs.of("shape", Lowering.tuple(x.withDim(-1, units).dims())), y));
  }
}
