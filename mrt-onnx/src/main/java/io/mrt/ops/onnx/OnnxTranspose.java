package io.mrt.ops.onnx;

import io.mrt.annotations.MrtOp;
import io.mrt.api.graph.Attrs;
import io.mrt.api.graph.Entry;
import io.mrt.api.hook.RewriteContext;
import io.mrt.api.hook.RewriteHook;
import java.util.List;

/** ONNX {@code Transpose} ({@code perm}, default reversed) as the built-in {@code transpose}. */
@MrtOp("onnx_Transpose")
public final class OnnxTranspose implements RewriteHook {
  /** For the registry. */
  public OnnxTranspose() {}

  @Override
  public List<Entry> rewrite(RewriteContext ctx) {
    Entry x = Onnx.required(ctx, 0, "data");
    int rank = ctx.shapeOf(x).rank();
    long[] dflt = new long[rank];
    for (int i = 0; i < rank; i++) {
      dflt[i] = rank - 1 - i;
    }
    long[] perm = Onnx.ints(ctx, "perm", dflt);
    if (perm.length != rank) {
      throw ctx.error("perm " + Onnx.tuple(perm) + " does not have " + rank + " axes");
    }
    int[] p = new int[rank];
    boolean[] seen = new boolean[rank];
    for (int i = 0; i < rank; i++) {
      p[i] = Onnx.axis(ctx, "perm axis", perm[i], rank);
      if (seen[p[i]]) {
        throw ctx.error("perm " + Onnx.tuple(perm) + " is not a permutation");
      }
      seen[p[i]] = true;
    }
    if (ctx.paramValue(x).isPresent()) {
      return Onnx.fold(ctx, ctx.paramValue(x).get().permute(p).dup('c'));
    }
    return List.of(ctx.op("transpose", ctx.node().name(), Attrs.of("axes", Onnx.tuple(p)), x).out());
  }
}
