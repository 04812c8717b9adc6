package io.mrt.runtime.exec.cvm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.mrt.runtime.io.cvm.CvmGraphBuilder;
import io.mrt.runtime.io.cvm.CvmModel;
import io.mrt.runtime.testutil.SystemProperties;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * With {@code -Dmrt.cvm.verify=true} a packed executor checks every step against the plain-Java
 * kernels and keeps its outputs; a disagreement is described by the count of differing values and
 * the first of them (the shape of the JIT miscompilation it was written for: lane 0 of every
 * vector shifted by the right count, the other lanes by 0).
 */
class CvmExecutorVerifyTest {

  /**
   * data[2, 8, 40, 40] -> conv2d 3x3 (+ bias, fused cvm_right_shift), then an element-wise
   * cvm_right_shift of its own over 25,600 values (the chunked pass) and elemwise_add with the
   * conv2d output.
   */
  private static CvmModel model() {
    Random r = new Random(7);
    CvmGraphBuilder b = new CvmGraphBuilder();
    int x = b.input("data", new long[] {2, 8, 40, 40}, 8);
    int w = b.param("w", new long[] {8, 8, 3, 3}, 8, r.ints(8 * 8 * 9, -127, 128).toArray());
    int bias = b.param("b", new long[] {8}, 16, r.ints(8, -20000, 20000).toArray());
    long[] shape = {2, 8, 40, 40};
    int c = b.op("conv2d", Map.of("channels", "8", "kernel_size", "(3, 3)", "padding", "(1, 1)", "use_bias", "true"),
        shape, x, w, bias);
    c = b.op("cvm_right_shift", Map.of("precision", "16", "shift_bit", "3"), shape, c);
    int s = b.op("cvm_right_shift", Map.of("precision", "8", "shift_bit", "5"), shape, c);
    int y = b.op("elemwise_add", Map.of(), shape, s, c);
    return b.head(y).build();
  }

  @Test
  void verifiedRunsGiveTheOutputsOfTheNaiveKernelsOnTwoThreads() {
    CvmModel m = model();
    int[] in = new Random(8).ints(2 * 8 * 40 * 40, -127, 128).toArray();
    int[] want = CvmExecutor.load(m, "t", new CvmExecutor.Options(1, CvmExecutor.ConvKernel.NAIVE)).run(in).outputs()
        .get(0).values();
    String before = System.getProperty(CvmExecutor.VERIFY_PROPERTY);
    System.setProperty(CvmExecutor.VERIFY_PROPERTY, "true");
    try {
      CvmExecutor e = CvmExecutor.load(m, "t", CvmExecutor.Options.threads(2));
      // twice: the second run reuses the buffers of the first
      assertArrayEquals(want, e.run(in).outputs().get(0).values());
      assertArrayEquals(want, e.run(in).outputs().get(0).values());
    } finally {
      SystemProperties.restore(CvmExecutor.VERIFY_PROPERTY, before);
    }
  }

  @Test
  void aDisagreementNamesHowManyValuesDifferAndTheFirst() {
    // cvm_right_shift(p = 8, b = 8) of 7621, 1998, 1942: 30, 8, 8; with the lanes after lane 0 shifted
    // by 0 instead of 7 before the rounding step: 30, 999, 971
    assertEquals("2 of 3 values differ, the first at index 1: 999 (vector) against 8 (plain)",
        CvmExecutor.difference(new int[] {30, 999, 971}, new int[] {30, 8, 8}, 3));
    // only the first n values count
    assertNull(CvmExecutor.difference(new int[] {30, 8, 5}, new int[] {30, 8, 8}, 2));
  }
}
