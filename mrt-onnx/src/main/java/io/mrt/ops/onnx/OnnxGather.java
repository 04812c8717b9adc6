package io.mrt.ops.onnx;

import io.mrt.annotations.MrtOp;
import io.mrt.api.graph.Entry;
import io.mrt.api.hook.RewriteContext;
import io.mrt.api.hook.RewriteHook;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * ONNX {@code Gather} of constants ({@code axis}, negative indices counted from the end), folded
 * at once: the {@code Shape -> Gather} step of exported shape arithmetic. A gather from a computed
 * tensor is refused.
 */
@MrtOp("onnx_Gather")
public final class OnnxGather implements RewriteHook {
  /** For the registry. */
  public OnnxGather() {}

  @Override
  public List<Entry> rewrite(RewriteContext ctx) {
    INDArray data = Onnx.requireConstant(ctx, 0, "data");
    INDArray indices = Onnx.requireConstant(ctx, 1, "indices");
    int rank = data.rank();
    int axis = Onnx.axis(ctx, "axis", ctx.attrs().getInt("axis", 0), rank);
    long d = data.size(axis);
    long[] idx = Onnx.longs(indices);
    List<INDArray> parts = new ArrayList<>();
    for (long i : idx) {
      long j = i < 0 ? i + d : i;
      if (j < 0 || j >= d) {
        throw ctx.error("index " + i + " is out of range for axis " + axis + " of size " + d);
      }
      INDArrayIndex[] sel = new INDArrayIndex[rank];
      for (int k = 0; k < rank; k++) {
        sel[k] = k == axis ? NDArrayIndex.interval(j, j + 1) : NDArrayIndex.all();
      }
      parts.add(data.get(sel).dup('c'));
    }
    long[] shape = new long[rank - 1 + indices.rank()];
    int p = 0;
    for (int k = 0; k < axis; k++) {
      shape[p++] = data.size(k);
    }
    for (int k = 0; k < indices.rank(); k++) {
      shape[p++] = indices.size(k);
    }
    for (int k = axis + 1; k < rank; k++) {
      shape[p++] = data.size(k);
    }
    if (parts.isEmpty()) {
      return Onnx.fold(ctx, Nd4j.create(data.dataType(), shape));
    }
    INDArray cat = parts.size() == 1 ? parts.get(0) : Nd4j.concat(axis, parts.toArray(new INDArray[0]));
    // cat has the indexed axis in place (size = number of indices); move to the output layout
    long[] mid = new long[rank];
    for (int k = 0; k < rank; k++) {
      mid[k] = k == axis ? idx.length : data.size(k);
    }
    return Onnx.fold(ctx, OnnxUnsqueeze.reshaped(cat.reshape('c', mid), shape));
  }
}
