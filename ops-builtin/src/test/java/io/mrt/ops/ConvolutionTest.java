package io.mrt.ops;

import static io.mrt.ops.OpHarness.arr;
import static io.mrt.ops.OpHarness.assertArray;
import static io.mrt.ops.OpHarness.f;
import static io.mrt.ops.OpHarness.forward1;
import static io.mrt.ops.OpHarness.infer1;
import static io.mrt.ops.OpHarness.iota;
import static io.mrt.ops.OpHarness.s;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mrt.api.graph.Attrs;
import io.mrt.api.graph.Shape;
import io.mrt.api.hook.OpException;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.indexing.NDArrayIndex;

class ConvolutionTest {
  @Test
  void twoFiltersWithBiasSlideOverNchwInputWithOihwWeights() {
    // x = 1..9 as 3x3; filter 0 = identity diagonal, filter 1 = all twos
    var y = forward1("Convolution", Attrs.of("kernel", "(2, 2)", "num_filter", "2"),
        iota(1, 1, 3, 3), arr(f(1, 0, 0, 1, 2, 2, 2, 2), 2, 1, 2, 2), arr(f(0.5, -1), 2));
    assertArray(s(1, 2, 2, 2), f(6.5, 8.5, 12.5, 14.5, 23, 31, 47, 55), y);
  }

  @Test
  void paddingStrideAndDilationFollowMxnet() {
    // x = 1..16 as 4x4, pad 1 -> 6x6, dilated 2x2 kernel spans 3, stride 2 -> 2x2 output
    var y = forward1("Convolution",
        Attrs.of("kernel", "(2, 2)", "num_filter", "1", "pad", "(1, 1)", "stride", "(2, 2)", "dilate", "(2, 2)",
            "no_bias", "True"),
        iota(1, 1, 4, 4), arr(f(1, 2, 3, 4), 1, 1, 2, 2));
    assertArray(s(1, 1, 2, 2), f(24, 50, 68, 128), y);
  }

  @Test
  void groupsConvolveEachChannelBlockWithItsOwnFilters() {
    var x = arr(f(1, 2, 3, 4, 10, 20, 30, 40), 1, 2, 2, 2);
    var y = forward1("Convolution",
        Attrs.of("kernel", "(1, 1)", "num_filter", "4", "num_group", "2", "no_bias", "True"),
        x, arr(f(1, 2, 3, 4), 4, 1, 1, 1));
    assertArray(s(1, 4, 2, 2), f(1, 2, 3, 4, 2, 4, 6, 8, 30, 60, 90, 120, 40, 80, 120, 160), y);
  }

  @Test
  void depthwiseGroupsWithBias() {
    var x = arr(f(1, 2, 3, 4, 10, 20, 30, 40), 1, 2, 2, 2);
    var y = forward1("Convolution", Attrs.of("kernel", "(2, 2)", "num_filter", "2", "num_group", "2"),
        x, arr(f(1, 1, 1, 1, 1, 0, 0, -1), 2, 1, 2, 2), arr(f(0, 100), 2));
    assertArray(s(1, 2, 1, 1), f(10, 10 - 40 + 100), y);
  }

  @Test
  void depthwiseWithMultiplierStrideAndPaddingEqualsOneConvolutionPerChannel() {
    // 3 channels of 5x5, 2 filters per channel (num_filter 6 = 3 groups x 2), 3x3 kernel, pad 1, stride 2
    var x = iota(2, 3, 5, 5);
    float[] wv = new float[6 * 9];
    for (int i = 0; i < wv.length; i++) {
      wv[i] = (i % 7) - 3;
    }
    var weight = arr(wv, 6, 1, 3, 3);
    var bias = arr(f(1, -2, 3, -4, 5, -6), 6);
    var y = forward1("Convolution",
        Attrs.of("kernel", "(3, 3)", "num_filter", "6", "num_group", "3", "pad", "(1, 1)", "stride", "(2, 2)"),
        x, weight, bias);
    assertArrayEquals(s(2, 6, 3, 3), y.shape());
    for (int c = 0; c < 3; c++) {
      var xc = x.get(NDArrayIndex.all(), NDArrayIndex.interval(c, c + 1)).dup('c');
      var wc = weight.get(NDArrayIndex.interval(2 * c, 2 * c + 2)).dup('c');
      var bc = bias.get(NDArrayIndex.interval(2 * c, 2 * c + 2)).dup('c');
      var one = forward1("Convolution",
          Attrs.of("kernel", "(3, 3)", "num_filter", "2", "pad", "(1, 1)", "stride", "(2, 2)"), xc, wc, bc);
      var part = y.get(NDArrayIndex.all(), NDArrayIndex.interval(2 * c, 2 * c + 2)).dup('c');
      assertArray(s(2, 2, 3, 3), one.reshape(one.length()).toFloatVector(), part);
    }
  }

  @Test
  void oneDimensionalConvolutionOnNcwInput() {
    var y = forward1("Convolution", Attrs.of("kernel", "(2,)", "num_filter", "1", "no_bias", "True"),
        arr(f(1, 2, 3, 4), 1, 1, 4), arr(f(2, 1), 1, 1, 2));
    assertArray(s(1, 1, 3), f(4, 7, 10), y);
  }

  @Test
  void inferShapeGivesFloorWindowCountsAndChecksTheWeight() {
    Attrs a = Attrs.of("kernel", "(3, 3)", "num_filter", "16", "pad", "(1, 1)", "stride", "(2, 2)", "no_bias", "True");
    assertEquals(Shape.of(8, 16, 16, 16), infer1("Convolution", a, Shape.of(8, 3, 32, 32), Shape.of(16, 3, 3, 3)));
    OpException e = assertThrows(OpException.class,
        () -> infer1("Convolution", a, Shape.of(8, 3, 32, 32), Shape.of(16, 4, 3, 3)));
    assertTrue(e.getMessage().contains("weight shape must be (16, 3, 3, 3), found (16, 4, 3, 3)"), e.getMessage());
  }
}
