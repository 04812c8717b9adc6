package io.mrt.runtime.exec.cvm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.mrt.runtime.io.cvm.CvmGraphBuilder;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * max_pool2d over the interior columns (no bounds checks) and the edge columns (windows reaching
 * into the padding, or past the input in ceil mode) gives the window maxima of CVM_OPS.md, padded
 * taps counting as INT32_MIN, on 1 and 2 threads.
 */
class PoolOpTest {
  /** (H, W, kh, kw, stride h, stride w, pad h, pad w, ceil mode). */
  static Stream<Arguments> pools() {
    return Stream.of(
        Arguments.of(26, 26, 2, 2, 1, 1, 0, 0, false),
        Arguments.of(22, 22, 2, 2, 2, 2, 0, 0, false),
        Arguments.of(9, 11, 3, 3, 2, 2, 1, 1, false),
        Arguments.of(7, 7, 3, 3, 1, 1, 1, 1, false),
        Arguments.of(8, 5, 3, 2, 3, 2, 0, 0, true),
        Arguments.of(5, 6, 5, 6, 1, 1, 2, 2, false),
        Arguments.of(4, 10, 2, 4, 1, 3, 1, 3, true));
  }

  @ParameterizedTest(name = "{0}x{1} k={2}x{3} s={4},{5} p={6},{7} ceil={8}")
  @MethodSource("pools")
  void everyOutputIsTheMaximumOfItsWindowsTapsInsideTheInput(int h, int w, int kh, int kw, int sh, int sw, int ph,
      int pw, boolean ceil) {
    int n = 2;
    int c = 3;
    int oh = ceil ? (h + 2 * ph - kh + sh - 1) / sh + 1 : (h + 2 * ph - kh) / sh + 1;
    int ow = ceil ? (w + 2 * pw - kw + sw - 1) / sw + 1 : (w + 2 * pw - kw) / sw + 1;
    CvmGraphBuilder b = new CvmGraphBuilder();
    int x = b.input("data", new long[] {n, c, h, w}, 8);
    int y = b.op("max_pool2d", Map.of("pool_size", "(" + kh + ", " + kw + ")", "strides", "(" + sh + ", " + sw + ")",
        "padding", "(" + ph + ", " + pw + ")", "ceil_mode", ceil ? "True" : "False"), new long[] {n, c, oh, ow}, x);
    int[] in = new Random(h * 31 + w).ints(n * c * h * w, -127, 128).toArray();
    int[] want = new int[n * c * oh * ow];
    for (int pl = 0; pl < n * c; pl++) {
      for (int p = 0; p < oh; p++) {
        for (int q = 0; q < ow; q++) {
          int m = Integer.MIN_VALUE;
          for (int r = 0; r < kh; r++) {
            for (int s = 0; s < kw; s++) {
              int i = p * sh + r - ph;
              int j = q * sw + s - pw;
              if (i >= 0 && i < h && j >= 0 && j < w) {
                m = Math.max(m, in[(pl * h + i) * w + j]);
              }
            }
          }
          want[(pl * oh + p) * ow + q] = m;
        }
      }
    }
    for (int t = 1; t <= 2; t++) {
      int[] got = CvmExecutor.load(b.head(y).build(), "t", CvmExecutor.Options.threads(t)).run(in).outputs().get(0)
          .values();
      assertArrayEquals(want, got, t + " threads");
    }
  }
}
