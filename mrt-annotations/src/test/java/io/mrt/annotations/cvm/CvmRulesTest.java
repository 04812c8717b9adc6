package io.mrt.annotations.cvm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The table of CVM operator rules: its operators, their arity and storage sharing, and the formulas. */
class CvmRulesTest {
  /** A node of the given input precisions and shapes, output shapes and integer attributes. */
  private static CvmRules.Node node(int[] ip, List<long[]> in, List<long[]> out, Map<String, Long> attrs) {
    return new CvmRules.Node() {
      @Override
      public int[] inputPrecisions() {
        return ip;
      }

      @Override
      public long[] inputShape(int i) {
        return in.get(i);
      }

      @Override
      public long[] outputShape(int i) {
        return out.get(i);
      }

      @Override
      public long attr(String name) {
        return attrs.get(name);
      }

      @Override
      public boolean flag(String name) {
        return attrs.get(name) != 0;
      }
    };
  }

  @Test
  void theTableHasTheThirtySevenOperatorsOfTheRuntime() {
    assertEquals(37, CvmRules.names().size());
    assertEquals("abs", CvmRules.names().first());
    assertEquals("where", CvmRules.names().last());
    assertNull(CvmRules.get("softmax"));
    assertNull(CvmRules.get("nagetive"));
  }

  @Test
  void theOperatorsThatMayShareStorageAreTheRuntimesReusedListWithoutNegative() {
    // the runtime's list spells negative "nagetive", so negative never runs in place
    assertEquals(Set.of("abs", "clip", "cvm_clip", "cvm_left_shift", "cvm_precision", "cvm_right_shift",
        "elemwise_add", "elemwise_sub", "expand_dims", "flatten", "relu", "reshape", "squeeze"), CvmRules.sharingStorage());
  }

  @Test
  void arityCountsTheBiasOfConvAndDenseAndAnyInputOfConcatenate() {
    assertEquals(2, CvmRules.get("conv2d").arity().inputs(false, 3));
    assertEquals(3, CvmRules.get("dense").arity().inputs(true, 2));
    assertEquals(5, CvmRules.get("concatenate").arity().inputs(false, 5));
    assertEquals(3, CvmRules.get("where").arity().inputs(false, 1));
    assertEquals(2, CvmRules.get("get_valid_counts").outputs());
    assertEquals(8, CvmRules.get("conv2d").maxInputBits());
    assertEquals(32, CvmRules.get("relu").maxInputBits());
  }

  /** conv2d with a weight (16, 4, 3, 3): K = 36, bits(36) = 6; 8 + 8 + 6 = 22; a 24-bit bias gives 25. */
  @Test
  void conv2dAddsTheBitsOfOneWeightRowAndOneForTheBias() {
    List<long[]> in = List.of(new long[] {1, 4, 8, 8}, new long[] {16, 4, 3, 3}, new long[] {16});
    List<long[]> out = List.of(new long[] {1, 16, 6, 6});
    assertArrayEquals(new int[] {22}, CvmRules.get("conv2d").precisions(
        node(new int[] {8, 8}, in, out, Map.of("use_bias", 0L))));
    assertArrayEquals(new int[] {25}, CvmRules.get("conv2d").precisions(
        node(new int[] {8, 8, 24}, in, out, Map.of("use_bias", 1L))));
  }

  /** sum over 10 of 40 elements: K = 4, 12 + bits(4) = 15; get_valid_counts of (2, 5, 6): numberPrecision(30) = 6. */
  @Test
  void reductionAndDetectionRulesReadTheShapes() {
    assertArrayEquals(new int[] {15}, CvmRules.get("sum").precisions(
        node(new int[] {12}, List.of(new long[] {4, 10}), List.of(new long[] {1, 10}), Map.of())));
    assertArrayEquals(new int[] {6, 9}, CvmRules.get("get_valid_counts").precisions(
        node(new int[] {9}, List.of(new long[] {2, 5, 6}), List.of(new long[] {2}, new long[] {2, 5, 6}), Map.of())));
  }

  @Test
  void elementwiseRulesFollowTheRuntime() {
    List<long[]> s = List.of(new long[] {4}, new long[] {4}, new long[] {4});
    assertArrayEquals(new int[] {10}, CvmRules.get("elemwise_add").precisions(node(new int[] {9, 7}, s, s, Map.of())));
    assertArrayEquals(new int[] {16}, CvmRules.get("broadcast_mul").precisions(node(new int[] {9, 7}, s, s, Map.of())));
    assertArrayEquals(new int[] {9}, CvmRules.get("broadcast_max").precisions(node(new int[] {7, 9}, s, s, Map.of())));
    assertArrayEquals(new int[] {7}, CvmRules.get("broadcast_div").precisions(node(new int[] {7, 9}, s, s, Map.of())));
    assertArrayEquals(new int[] {12}, CvmRules.get("concatenate").precisions(node(new int[] {7, 12, 9}, s, s, Map.of())));
    assertArrayEquals(new int[] {16}, CvmRules.get("cvm_lut").precisions(node(new int[] {9, 16}, s, s, Map.of())));
    // where keeps the condition's precision (the runtime's quirk)
    assertArrayEquals(new int[] {1}, CvmRules.get("where").precisions(node(new int[] {1, 8, 8}, s, s, Map.of())));
    assertArrayEquals(new int[] {6}, CvmRules.get("cvm_precision").precisions(node(new int[] {30}, s, s, Map.of())));
    assertArrayEquals(new int[] {13}, CvmRules.get("cvm_right_shift").precisions(
        node(new int[] {30}, s, s, Map.of("precision", 13L, "shift_bit", 4L))));
    // clip: numberPrecision(max(|a_min|, |a_max|)): 126 -> 8, 127 -> 9
    assertArrayEquals(new int[] {8}, CvmRules.get("clip").precisions(
        node(new int[] {30}, s, s, Map.of("a_min", -126L, "a_max", 100L))));
    assertArrayEquals(new int[] {9}, CvmRules.get("clip").precisions(
        node(new int[] {30}, s, s, Map.of("a_min", 0L, "a_max", 127L))));
  }

  @Test
  void bitsAndNumberPrecisionAreTheRuntimesHelpers() {
    assertEquals(0, CvmRules.bits(0));
    assertEquals(1, CvmRules.bits(1));
    assertEquals(3, CvmRules.bits(4));
    assertEquals(4, CvmRules.bits(8));
    assertEquals(8, CvmRules.numberPrecision(126));
    assertEquals(9, CvmRules.numberPrecision(127));
    assertEquals(33, CvmRules.numberPrecision(Integer.MAX_VALUE));
    assertEquals(36, CvmRules.rowSize(new long[] {16, 4, 3, 3}));
  }

  @Test
  void rightShiftRoundsHalfUpThenSaturatesWithTheKernelsBranches() {
    // p = 8, b = 2: clip(floor(x / 4 + 1/2), -127, 127)
    assertEquals(1, CvmRules.rightShift(5, 8, 2));
    assertEquals(2, CvmRules.rightShift(6, 8, 2));
    assertEquals(-1, CvmRules.rightShift(-6, 8, 2));
    assertEquals(-2, CvmRules.rightShift(-7, 8, 2));
    assertEquals(127, CvmRules.rightShift(1000, 8, 2));
    assertEquals(-127, CvmRules.rightShift(-1000, 8, 2));
    // p + b >= 32: no saturation, so 2^31 - 1 gives R(24) + 1
    assertEquals(8388608, CvmRules.rightShift(2147483647L, 24, 8));
    // b >= 31: x >> 31
    assertEquals(-1, CvmRules.rightShift(-5, 8, 31));
    assertEquals(0, CvmRules.rightShift(5, 8, 31));
    // p = 1: R = 0, always 0
    assertEquals(0, CvmRules.rightShift(12345, 1, 3));
  }

  @Test
  void theInt32KernelWrapsOnlyWhereItsRoundingAddOverflows() {
    assertEquals(1L << 30, CvmRules.rightShift(Integer.MAX_VALUE, 31, 1));
    assertEquals(-(1 << 30), CvmRules.rightShift32(Integer.MAX_VALUE, 31, 1));
    assertEquals((1 << 30) - 1, CvmRules.rightShift32(Integer.MAX_VALUE - 1, 31, 1)); // (2^31 - 2 + 1) >> 1
    assertEquals(8388608, CvmRules.rightShift32(Integer.MAX_VALUE, 24, 8));
    assertEquals(-127, CvmRules.rightShift32(Integer.MIN_VALUE, 8, 2));
  }
}
