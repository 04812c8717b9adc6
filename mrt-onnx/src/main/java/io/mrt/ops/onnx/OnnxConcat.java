package io.mrt.ops.onnx;

import io.mrt.annotations.MrtOp;
import io.mrt.api.graph.Attrs;
import io.mrt.api.graph.Entry;
import io.mrt.api.hook.RewriteContext;
import io.mrt.api.hook.RewriteHook;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** ONNX {@code Concat} ({@code axis}) as the built-in {@code Concat}; constants are concatenated at once. */
@MrtOp("onnx_Concat")
public final class OnnxConcat implements RewriteHook {
  /** For the registry. */
  public OnnxConcat() {}

  @Override
  public List<Entry> rewrite(RewriteContext ctx) {
    if (ctx.inputs().isEmpty()) {
      throw ctx.error("no inputs");
    }
    int rank = ctx.shapeOf(ctx.input(0)).rank();
    int axis = Onnx.axis(ctx, "axis", ctx.attrs().getLong("axis"), rank);
    if (Onnx.allConstant(ctx)) {
      List<INDArray> parts = new ArrayList<>();
      boolean ints = true;
      for (Entry e : ctx.inputs()) {
        INDArray v = ctx.paramValue(e).orElseThrow();
        ints &= Onnx.isInteger(v);
        parts.add(v);
      }
      List<INDArray> same = new ArrayList<>();
      for (INDArray v : parts) {
        same.add(ints ? v.castTo(org.nd4j.linalg.api.buffer.DataType.LONG) : Onnx.f32(v));
      }
      same.removeIf(v -> v.length() == 0 && v.rank() == 1 && rank == 1);
      return Onnx.fold(ctx, same.isEmpty() ? Onnx.longVector() : Nd4j.concat(axis, same.toArray(new INDArray[0])));
    }
    Attrs a = Attrs.of("dim", Integer.toString(axis), "num_args", Integer.toString(ctx.inputs().size()));
    return List.of(ctx.op("Concat", ctx.node().name(), a, ctx.inputs().toArray(new Entry[0])).out());
  }
}
