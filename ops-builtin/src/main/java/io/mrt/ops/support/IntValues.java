package io.mrt.ops.support;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Exact element access for the integer ops (cvm_clip, cvm_right_shift, cvm_lut, ...): values are
 * read as doubles (exact for integers up to 2^53) and results are written back in the input's
 * data type, so a float64 graph simulates int32 arithmetic without rounding.
 */
public final class IntValues {
  private IntValues() {}

  /** The values of {@code a} in C order, as doubles. */
  public static double[] of(INDArray a) {
    INDArray c = a.dup('c');
    return c.dataType() == DataType.DOUBLE ? c.data().asDouble() : c.castTo(DataType.DOUBLE).data().asDouble();
  }

  /** A new array of {@code like}'s shape and floating type (float64 unless {@code like} is float32). */
  public static INDArray create(double[] values, INDArray like) {
    DataType t = like.dataType() == DataType.FLOAT ? DataType.FLOAT : DataType.DOUBLE;
    return Nd4j.create(values, like.shape(), t);
  }

  /** A new array of the given shape and floating type. */
  public static INDArray create(double[] values, long[] shape, DataType like) {
    DataType t = like == DataType.FLOAT ? DataType.FLOAT : DataType.DOUBLE;
    return Nd4j.create(values, shape, t);
  }

  /** MXNet's round (half away from zero), the rounding the MRT simulation applies first. */
  public static long round(double x) {
    double r = Math.floor(Math.abs(x) + 0.5);
    return (long) (x < 0 ? -r : r);
  }
}
