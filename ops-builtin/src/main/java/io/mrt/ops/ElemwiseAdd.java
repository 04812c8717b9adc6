package io.mrt.ops;

import io.mrt.annotations.MrtOp;
import io.mrt.api.hook.ForwardContext;
import io.mrt.ops.support.Broadcast;
import io.mrt.ops.support.Tensors;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** MXNet {@code elemwise_add}: the sum of two arrays of the same shape; CVM {@code elemwise_add}. */
@MrtOp(value = {"elemwise_add", "_plus", "_add", "_Plus"}, emits = "elemwise_add", inputPrecision = 16)
public final class ElemwiseAdd extends ElemwiseBinary {
  /** For the registry. */
  public ElemwiseAdd() {
    super("elemwise_add", INDArray::add);
  }

  /** The sum, into an input nothing reads afterwards when both are float32 of one shape. */
  @Override
  public List<INDArray> forward(ForwardContext ctx) {
    Broadcast.same(ctx, Tensors.shape(ctx.input(0)), Tensors.shape(ctx.input(1)));
    INDArray a = ctx.input(0);
    INDArray b = ctx.input(1);
    if (a.dataType() == DataType.FLOAT && b.dataType() == DataType.FLOAT
        && java.util.Arrays.equals(a.shape(), b.shape())) {
      // into an input nothing reads afterwards (float addition is commutative, so either gives the same bits)
      if (ctx.mayOverwrite(0)) {
        return List.of(addInto(a, b));
      }
      if (ctx.mayOverwrite(1)) {
        return List.of(addInto(b, a));
      }
    }
    return List.of(Broadcast.apply(ctx, ctx.input(0), ctx.input(1), INDArray::add));
  }

  /**
   * {@code into += other}. Two NHWC buffers (the same non-row-major strides, every value of their
   * buffers) add over their buffers in order, as one flat pass: ND4J's strided loop is ~10x slower.
   */
  private static INDArray addInto(INDArray into, INDArray other) {
    if (!Tensors.rowMajor(into) && java.util.Arrays.equals(into.stride(), other.stride())
        && Tensors.dense(into) && Tensors.dense(other)) {
      Tensors.flat(into).addi(Tensors.flat(other));
      return into;
    }
    return into.addi(other);
  }
}
