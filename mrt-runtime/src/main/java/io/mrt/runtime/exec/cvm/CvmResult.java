package io.mrt.runtime.exec.cvm;

import io.mrt.runtime.io.npy.NpyArray;
import java.util.List;

/**
 * The heads of one CVM run, in head order. When {@link #int8()} is true every value has been
 * narrowed with {@code (byte)} (the C API returns 1-byte outputs when all heads have precision
 * &lt;= 8) and is held here widened back to int.
 */
public final class CvmResult {
  /**
   * One head.
   *
   * @param shape the head's shape
   * @param values its values in C order
   */
  public record Output(long[] shape, int[] values) {
  }

  private final List<Output> outputs;
  private final boolean int8;

  CvmResult(List<Output> outputs, boolean int8) {
    this.outputs = List.copyOf(outputs);
    this.int8 = int8;
  }

  /** The heads. */
  public List<Output> outputs() {
    return outputs;
  }

  /** Whether values were narrowed to int8. */
  public boolean int8() {
    return int8;
  }

  /** Head {@code i} as a .npy array: int8 when narrowed, else int32. */
  public NpyArray toNpy(int i) {
    Output o = outputs.get(i);
    return int8 ? NpyArray.ofInt8(o.shape(), o.values()) : NpyArray.ofInt32(o.shape(), o.values());
  }

  /**
   * All heads in the reference C API layout: with several heads, interleaved row by row (for each
   * row x, for each head k, its last-dimension row x); a single head as its flat tensor. Returned as
   * a 1-D array (int8 when narrowed, else int32).
   *
   * @throws CvmInferenceException when heads have different numbers of rows (the reference errors)
   */
  public NpyArray interleaved() {
    if (outputs.size() == 1) {
      int[] v = outputs.get(0).values();
      long[] shape = {v.length};
      return int8 ? NpyArray.ofInt8(shape, v) : NpyArray.ofInt32(shape, v);
    }
    long rows = -1;
    int total = 0;
    for (Output o : outputs) {
      long last = o.shape()[o.shape().length - 1];
      long x = o.values().length / last;
      if (rows >= 0 && x != rows) {
        throw new CvmInferenceException("cannot interleave heads with different numbers of rows (" + rows + " vs " + x
            + "); write one file per head instead");
      }
      rows = x;
      total += o.values().length;
    }
    int[] out = new int[total];
    int k = 0;
    for (int x = 0; x < rows; x++) {
      for (Output o : outputs) {
        int y = (int) o.shape()[o.shape().length - 1];
        System.arraycopy(o.values(), x * y, out, k, y);
        k += y;
      }
    }
    long[] shape = {total};
    return int8 ? NpyArray.ofInt8(shape, out) : NpyArray.ofInt32(shape, out);
  }
}
