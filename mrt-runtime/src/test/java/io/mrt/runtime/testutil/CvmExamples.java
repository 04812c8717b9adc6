package io.mrt.runtime.testutil;

import io.mrt.runtime.io.cvm.CvmGraphBuilder;
import io.mrt.runtime.io.cvm.CvmModel;
import java.util.Map;

/** Small compiled CVM models for tests. */
public final class CvmExamples {
  private CvmExamples() {
  }

  /**
   * The minimal example of CVM_FORMAT.md section 4: data[2,4] (precision 8), dense with bias
   * (weights [[1 2 3 4] [-1 -2 -3 -4] [127 0 0 -127]], bias [10 -10 0]), then cvm_right_shift
   * (precision 8, shift_bit 2).
   */
  public static CvmModel example() {
    CvmGraphBuilder b = new CvmGraphBuilder();
    int data = b.input("data", new long[] {2, 4}, 8);
    int w = b.param("dense0_weight", new long[] {3, 4}, 8, new int[] {1, 2, 3, 4, -1, -2, -3, -4, 127, 0, 0, -127});
    int bias = b.param("dense0_bias", new long[] {3}, 8, new int[] {10, -10, 0});
    int d = b.op("dense", Map.of("units", "3", "use_bias", "True"), new long[] {2, 3}, data, w, bias);
    int r = b.op("cvm_right_shift", Map.of("precision", "8", "shift_bit", "2"), new long[] {2, 3}, d);
    return b.head(r).build();
  }
}
