package io.mrt.runtime.exec.cvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.mrt.runtime.io.cvm.CvmGraphBuilder;
import io.mrt.runtime.io.cvm.CvmModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The depthwise kernel over flat phase planes ({@link DepthwisePhases}) gives the naive kernel's
 * bits on 1, 2 and 3 threads: stride 1 read in place and strides 2 and 3 (and 2 by 1) split into
 * phases; planes narrower than a vector, wider, and rows wider than two vectors; odd and even
 * sizes; padding 0, 1 and 2; 1x1, 2x2, 3x3 and 5x5 windows; channel counts that are not a multiple
 * of a task's; batches of four images (the fewest it takes) and of more than a group of phase
 * planes; each fused tail (none, one clamp, one saturating shift, a scaled shift, other passes);
 * int8 inputs and inputs up to 128 (the no-clip branch of cvm_right_shift).
 */
class DepthwisePhasesTest {
  /** (images, channels, H, W, kh = kw, stride h, stride w, padding, dilation). */
  static Stream<Arguments> shapes() {
    return Stream.of(
        // stride 1, read in place: 7x7 (less than a vector per plane), 14x14, 28x28, odd 9x13
        Arguments.of(4, 13, 7, 7, 3, 1, 1, 1, 1),
        Arguments.of(4, 9, 14, 14, 3, 1, 1, 1, 1),
        Arguments.of(4, 17, 28, 28, 3, 1, 1, 1, 1),
        Arguments.of(5, 3, 9, 13, 3, 1, 1, 1, 1),
        Arguments.of(4, 5, 11, 11, 5, 1, 1, 2, 1),
        Arguments.of(4, 4, 10, 10, 3, 1, 1, 2, 2),
        Arguments.of(4, 6, 5, 5, 1, 1, 1, 0, 1),
        // stride 1 with an output wider than the input (padding 2 on a 3x3 window): row copies
        Arguments.of(4, 5, 6, 7, 3, 1, 1, 2, 1),
        // stride 2, phases: even and odd sizes, rows narrower and wider than two vectors (33)
        Arguments.of(7, 9, 28, 28, 3, 2, 2, 1, 1),
        Arguments.of(16, 10, 14, 14, 3, 2, 2, 1, 1),
        Arguments.of(4, 6, 7, 7, 3, 2, 2, 1, 1),
        Arguments.of(4, 5, 15, 13, 3, 2, 2, 1, 1),
        Arguments.of(4, 3, 33, 33, 3, 2, 2, 1, 1),
        Arguments.of(4, 4, 56, 56, 3, 2, 2, 1, 1),
        Arguments.of(4, 7, 15, 15, 5, 2, 2, 2, 1),
        // stride 2 without padding: 1x1 and 2x2 windows
        Arguments.of(4, 5, 9, 9, 1, 2, 2, 0, 1),
        Arguments.of(4, 5, 10, 12, 2, 2, 2, 0, 1),
        // stride 3 (scalar split) and strides (2, 1)
        Arguments.of(4, 4, 10, 10, 3, 3, 3, 1, 1),
        Arguments.of(4, 5, 12, 9, 3, 2, 1, 1, 1));
  }

  /**
   * The tails: none, one clamp, one saturating shift, a clamp times a one-element scale then a
   * saturating shift (all applied in registers; the last one with 3x3 windows only), a shift then
   * clips (passes over the finished planes).
   */
  private static final List<List<String[]>> TAILS = List.of(
      List.<String[]>of(),
      List.<String[]>of(new String[] {"clip", "a_min", "-3000", "a_max", "2500"}),
      List.of(new String[] {"cvm_clip", "precision", "18"}, new String[] {"relu"},
          new String[] {"cvm_right_shift", "precision", "8", "shift_bit", "7"}),
      List.of(new String[] {"cvm_clip", "precision", "16"}, new String[] {"clip", "a_min", "-20000", "a_max", "9000"},
          new String[] {"broadcast_mul", "scale", "-389"},
          new String[] {"cvm_right_shift", "precision", "16", "shift_bit", "9"}),
      List.of(new String[] {"cvm_right_shift", "precision", "16", "shift_bit", "2"},
          new String[] {"clip", "a_min", "-9", "a_max", "9"}, new String[] {"relu"}));

  @ParameterizedTest(name = "n={0} C={1} {2}x{3} k={4} s={5},{6} p={7} d={8}")
  @MethodSource("shapes")
  void everyTailOnInt8AndWideInputsGivesTheNaiveBitsOnOneToThreeThreads(int n, int c, int h, int w, int k, int sh,
      int sw, int p, int d) {
    int oh = (h + 2 * p - ((k - 1) * d + 1)) / sh + 1;
    int ow = (w + 2 * p - ((k - 1) * d + 1)) / sw + 1;
    ConvOp.Geometry g = new ConvOp.Geometry(n, c, h, w, c, k, k, oh, ow, sh, sw, p, p, d, d, c);
    PackedKernels pk = new PackedKernels(true);
    assumeTrue(pk.vector(), "the Vector API is not available");
    assertNotNull(DepthwisePhases.of(g, pk), "the geometry must take the phase-plane kernel");
    Random r = new Random(31L * n + 7L * c + h * 1000L + w + k + sh * 10L + sw + p * 100L);
    List<String> bad = new ArrayList<>();
    for (int tail = 0; tail < TAILS.size(); tail++) {
      for (boolean wide : new boolean[] {false, true}) {
        CvmGraphBuilder b = new CvmGraphBuilder();
        long[] xs = {n, c, h, w};
        int x = b.input("data", xs, wide ? 32 : 8);
        if (wide) {
          // the no-clip branch of cvm_right_shift: values in [-128, 128], which depthwise conv2d reads whole
          x = b.op("cvm_right_shift", Map.of("precision", "8", "shift_bit", "24"), xs, x);
        }
        int wt = b.param("w", new long[] {c, 1, k, k}, 8, r.ints((long) c * k * k, -127, 128).toArray());
        int bias = b.param("b", new long[] {c}, 14, r.ints(c, -8000, 8000).toArray());
        long[] os = {n, c, oh, ow};
        int y = b.op("conv2d", Map.of("channels", "" + c, "kernel_size", "(" + k + ", " + k + ")", "strides",
            "(" + sh + ", " + sw + ")", "padding", "(" + p + ", " + p + ")", "dilation", "(" + d + ", " + d + ")",
            "groups", "" + c), os, x, wt, bias);
        for (String[] op : TAILS.get(tail)) {
          if (op[0].equals("broadcast_mul")) {
            int scale = b.param("scale", new long[] {1}, 10, new int[] {Integer.parseInt(op[2])});
            y = b.op("broadcast_mul", Map.of(), os, y, scale);
            continue;
          }
          Map<String, String> attrs = new java.util.HashMap<>();
          for (int i = 1; i + 1 < op.length; i += 2) {
            attrs.put(op[i], op[i + 1]);
          }
          y = b.op(op[0], attrs, os, y);
        }
        CvmModel m = b.head(y).build();
        int[] in = wide ? r.ints((long) n * c * h * w).toArray() : r.ints((long) n * c * h * w, -127, 128).toArray();
        if (wide) {
          in[0] = Integer.MAX_VALUE;
          in[in.length - 1] = Integer.MIN_VALUE;
        }
        int[] ref = CvmExecutor.load(m, "t", new CvmExecutor.Options(1, CvmExecutor.ConvKernel.NAIVE)).run(in)
            .outputs().get(0).values();
        for (int t = 1; t <= 3; t++) {
          CvmExecutor e = CvmExecutor.load(m, "t", new CvmExecutor.Options(t, CvmExecutor.ConvKernel.PACKED));
          assertEquals(wide ? 2 : 1, e.stepCount(), "the tail runs fused into the conv2d");
          for (int rep = 0; rep < 2; rep++) {
            if (!Arrays.equals(ref, e.run(in).outputs().get(0).values())) {
              bad.add("tail " + tail + (wide ? ", wide input, " : ", int8 input, ") + t + " threads, run " + rep);
            }
          }
        }
      }
    }
    assertEquals(List.of(), bad);
  }
}
