package io.mrt.ops.onnx;

import io.mrt.annotations.MrtOp;
import io.mrt.api.graph.Entry;
import io.mrt.api.graph.Shape;
import io.mrt.api.hook.RewriteContext;
import io.mrt.api.hook.RewriteHook;
import java.util.Arrays;
import java.util.List;

/**
 * ONNX {@code Shape}: folded into an int64 constant once the input shape is known (with
 * {@code start}/{@code end} from opset 15), so that the shape arithmetic after it folds too.
 */
@MrtOp("onnx_Shape")
public final class OnnxShape implements RewriteHook {
  /** For the registry. */
  public OnnxShape() {}

  @Override
  public List<Entry> rewrite(RewriteContext ctx) {
    Shape s = ctx.shapeOf(Onnx.required(ctx, 0, "data"));
    int rank = s.rank();
    long start = ctx.attrs().getInt("start", 0);
    long end = ctx.attrs().getInt("end", rank);
    start = Math.max(0, Math.min(rank, start < 0 ? start + rank : start));
    end = Math.max(0, Math.min(rank, end < 0 ? end + rank : end));
    long[] dims = start >= end ? new long[0] : Arrays.copyOfRange(s.dims(), (int) start, (int) end);
    return Onnx.fold(ctx, Onnx.longVector(dims));
  }
}
