package io.mrt.runtime.exec.cvm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mrt.runtime.io.cvm.CvmGraphBuilder;
import io.mrt.runtime.io.cvm.CvmModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The packed kernels (Vector API and plain loops, 1 to 3 threads) give the bits of the naive
 * single-threaded kernels on conv2d geometries the compiled example models do not cover (groups,
 * depthwise, strides, dilation, odd sizes whose tiles cross image boundaries), with fused
 * clip/relu/right-shift tails in every branch of cvm_right_shift, on inputs outside int8, and on
 * dense; and the executor keeps only live intermediates in memory.
 */
class PackedKernelsTest {
  private static final CvmExecutor.ConvKernel[] FAST = {CvmExecutor.ConvKernel.PACKED,
      CvmExecutor.ConvKernel.PACKED_SCALAR, CvmExecutor.ConvKernel.BLOCKED};

  /** (C, O, H, W, kh, kw, stride, pad, dilation, groups). */
  static Stream<Arguments> convShapes() {
    return Stream.of(
        Arguments.of(3, 16, 11, 11, 3, 3, 1, 1, 1, 1),
        Arguments.of(5, 7, 13, 9, 3, 3, 2, 1, 1, 1),
        Arguments.of(4, 6, 10, 10, 3, 3, 1, 2, 2, 1),
        Arguments.of(3, 8, 15, 15, 7, 7, 2, 3, 1, 1),
        Arguments.of(16, 20, 7, 7, 1, 1, 1, 0, 1, 1),
        Arguments.of(12, 10, 8, 8, 1, 1, 1, 0, 1, 1),
        Arguments.of(8, 12, 16, 16, 1, 1, 1, 0, 1, 2),
        Arguments.of(6, 6, 9, 9, 3, 3, 1, 1, 1, 6),
        Arguments.of(8, 8, 12, 12, 3, 3, 2, 1, 1, 8),
        Arguments.of(6, 6, 8, 8, 5, 5, 1, 2, 1, 6),
        Arguments.of(4, 6, 9, 9, 3, 3, 1, 1, 1, 2),
        Arguments.of(4, 8, 9, 9, 3, 3, 2, 0, 1, 4),
        // depthwise on planes narrower than a vector (16 int32 lanes with AVX-512) and wider, with
        // strides, dilation and a 5x5 window: the flat planes and their masks (stride 1, same size),
        // the stacked planes, their pads and the gathered columns (the others)
        Arguments.of(8, 8, 7, 7, 3, 3, 2, 1, 1, 8),
        Arguments.of(5, 5, 17, 17, 3, 3, 1, 1, 1, 5),
        Arguments.of(4, 4, 14, 14, 3, 3, 1, 2, 2, 4),
        Arguments.of(6, 6, 15, 15, 5, 5, 2, 2, 1, 6),
        Arguments.of(3, 3, 4, 4, 3, 3, 1, 1, 1, 3),
        Arguments.of(4, 4, 33, 33, 3, 3, 2, 1, 1, 4),
        // stride 1 on 7x7 planes with more channels than one task of the flat kernel takes
        Arguments.of(40, 40, 7, 7, 3, 3, 1, 1, 1, 40),
        // stride-2 (and 3) depthwise read from column phases: even and odd sizes, padding 0 and 1,
        // dilation 2, a 5x5 window, the 28x28 and 56x56 planes of MobileNetV2's stride-2 layers
        Arguments.of(6, 6, 14, 14, 3, 3, 2, 1, 1, 6),
        Arguments.of(6, 6, 15, 15, 3, 3, 2, 0, 1, 6),
        Arguments.of(4, 4, 16, 16, 3, 3, 2, 0, 1, 4),
        Arguments.of(5, 5, 13, 13, 3, 3, 2, 1, 2, 5),
        Arguments.of(4, 4, 12, 12, 3, 3, 2, 0, 2, 4),
        Arguments.of(3, 3, 11, 11, 5, 5, 2, 2, 2, 3),
        Arguments.of(4, 4, 28, 28, 3, 3, 2, 1, 1, 4),
        Arguments.of(3, 3, 56, 56, 3, 3, 2, 1, 1, 3),
        Arguments.of(4, 4, 10, 10, 3, 3, 3, 1, 1, 4),
        Arguments.of(4, 4, 5, 5, 3, 3, 2, 1, 1, 4),
        // groups == 1 as an implicit float GEMM over planes with shared pads (stride 1): 576 taps
        // (chunks of 256, 256 and 64), rows wider than a vector, "valid" convs (no pads at all) on
        // planes narrower and wider than a vector
        Arguments.of(64, 8, 6, 6, 3, 3, 1, 1, 1, 1),
        Arguments.of(40, 5, 17, 17, 3, 3, 1, 1, 1, 1),
        Arguments.of(8, 4, 4, 4, 3, 3, 1, 0, 1, 1),
        Arguments.of(6, 5, 18, 18, 3, 3, 1, 0, 1, 1),
        // ... and over stride phases: stride 2 without padding, stride 3, and a padding wider than
        // the window (its outputs do not fit shared pads, so one phase at stride 1)
        Arguments.of(10, 6, 9, 9, 3, 3, 2, 0, 1, 1),
        Arguments.of(4, 6, 11, 11, 3, 3, 3, 1, 1, 1),
        Arguments.of(4, 5, 6, 6, 3, 3, 1, 3, 1, 1),
        // 1x1 windows keep the int32 GEMM on planes of at most 1024 positions: tiles spanning
        // images (18x18), stride 2, padding 1; a larger plane (36x36) takes the float planes
        Arguments.of(6, 5, 18, 18, 1, 1, 1, 0, 1, 1),
        Arguments.of(6, 5, 36, 36, 1, 1, 1, 0, 1, 1),
        Arguments.of(10, 6, 9, 9, 1, 1, 2, 0, 1, 1),
        Arguments.of(4, 5, 6, 6, 1, 1, 1, 1, 1, 1),
        // ... tiled image by image and read in place when the plane is not a whole number of
        // tiles: 7x7 (one partial tile), 14x14 and 28x28 (a partial last tile), few and many
        // output channels (not a multiple of four); the last image's last tile copies its rows
        Arguments.of(8, 10, 28, 28, 1, 1, 1, 0, 1, 1),
        Arguments.of(72, 13, 14, 14, 1, 1, 1, 0, 1, 1),
        Arguments.of(12, 50, 7, 7, 1, 1, 1, 0, 1, 1));
  }

  @ParameterizedTest(name = "C={0} O={1} {2}x{3} k={4}x{5} s={6} p={7} d={8} g={9}")
  @MethodSource("convShapes")
  void convWithAFusedTailMatchesTheNaiveKernelForEveryVariantAndThreadCount(int c, int o, int h, int w, int kh,
      int kw, int s, int p, int d, int groups) {
    int n = 3;
    int oh = (h + 2 * p - ((kh - 1) * d + 1)) / s + 1;
    int ow = (w + 2 * p - ((kw - 1) * d + 1)) / s + 1;
    Random r = new Random(c * 1000 + o * 100 + h + groups);
    CvmGraphBuilder b = new CvmGraphBuilder();
    int x = b.input("data", new long[] {n, c, h, w}, 8);
    int wt = b.param("w", new long[] {o, c / groups, kh, kw}, 8, r.ints((long) o * c / groups * kh * kw, -127, 128)
        .toArray());
    int bias = b.param("b", new long[] {o}, 14, r.ints(o, -8000, 8000).toArray());
    long[] os = {n, o, oh, ow};
    int y = b.op("conv2d", Map.of("channels", "" + o, "kernel_size", "(" + kh + ", " + kw + ")", "strides",
        "(" + s + ", " + s + ")", "padding", "(" + p + ", " + p + ")", "dilation", "(" + d + ", " + d + ")", "groups",
        "" + groups), os, x, wt, bias);
    y = b.op("cvm_clip", Map.of("precision", "18"), os, y);
    y = b.op("relu", Map.of(), os, y);
    y = b.op("cvm_right_shift", Map.of("precision", "8", "shift_bit", "7"), os, y);
    CvmModel m = b.head(y).build();
    int[] in = r.ints((long) n * c * h * w, -127, 128).toArray();
    assertAllVariantsAgree(m, in, 0);
  }

  /** (H = W, stride, padding): 7 images, more than one task of the stacked depthwise kernel takes. */
  static Stream<Arguments> stackedDepthwiseShapes() {
    return Stream.of(
        // 66x66 padded: a task stacks 3 images, so a channel is 3 tasks
        Arguments.of(64, 1, 1),
        // stride 2, 4 phases of 33x33: 3 images a task
        Arguments.of(64, 2, 1),
        // stride 2 on an odd size without padding: 4 phases of 33x33 (the last row and column of
        // the odd phases are pads)
        Arguments.of(65, 2, 0));
  }

  @ParameterizedTest(name = "{0}x{0} s={1} p={2}")
  @MethodSource("stackedDepthwiseShapes")
  void depthwiseConvOnMoreImagesThanOneTaskStacksGivesTheNaiveBits(int hw, int s, int p) {
    int n = 7;
    int c = 3;
    int o = (hw + 2 * p - 3) / s + 1;
    Random r = new Random(17 + hw + s);
    CvmGraphBuilder b = new CvmGraphBuilder();
    int x = b.input("data", new long[] {n, c, hw, hw}, 8);
    int w = b.param("w", new long[] {c, 1, 3, 3}, 8, r.ints(c * 9L, -127, 128).toArray());
    int bias = b.param("b", new long[] {c}, 14, r.ints(c, -8000, 8000).toArray());
    long[] os = {n, c, o, o};
    int y = b.op("conv2d", Map.of("channels", "" + c, "kernel_size", "(3, 3)", "strides", "(" + s + ", " + s + ")",
        "padding", "(" + p + ", " + p + ")", "groups", "" + c), os, x, w, bias);
    y = b.op("cvm_right_shift", Map.of("precision", "8", "shift_bit", "6"), os, y);
    assertAllVariantsAgree(b.head(y).build(), r.ints((long) n * c * hw * hw, -127, 128).toArray(), 0);
  }

  /**
   * Tails whose clamps the packed kernels compose into fewer passes: disjoint clips (a constant),
   * a clip before the no-clip branch of cvm_right_shift, overlapping clips before a saturating
   * shift, and clips after a shift (not composed).
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("tails")
  void composedClampsAndShiftsGiveTheNaiveBits(String name, List<String[]> tail) {
    Random r = new Random(name.hashCode());
    CvmGraphBuilder b = new CvmGraphBuilder();
    long[] s = {3, 6, 9, 9};
    int x = b.input("data", s, 8);
    int w = b.param("w", new long[] {6, 6, 3, 3}, 8, r.ints(6 * 6 * 9, -127, 128).toArray());
    int bias = b.param("b", new long[] {6}, 16, r.ints(6, -30000, 30000).toArray());
    int y = b.op("conv2d", Map.of("channels", "6", "kernel_size", "(3, 3)", "padding", "(1, 1)"), s, x, w, bias);
    for (String[] op : tail) {
      Map<String, String> attrs = new java.util.HashMap<>();
      for (int i = 1; i + 1 < op.length; i += 2) {
        attrs.put(op[i], op[i + 1]);
      }
      y = b.op(op[0], attrs, s, y);
    }
    CvmModel m = b.head(y).build();
    assertEquals(1, CvmExecutor.load(m, "t", CvmExecutor.Options.threads(1)).stepCount());
    assertAllVariantsAgree(m, r.ints(3 * 6 * 81, -127, 128).toArray(), 0);
  }

  static Stream<Arguments> tails() {
    return Stream.of(
        Arguments.of("disjoint clips, then a saturating shift", List.of(
            new String[] {"clip", "a_min", "-50", "a_max", "40"}, new String[] {"clip", "a_min", "60", "a_max", "70"},
            new String[] {"cvm_right_shift", "precision", "8", "shift_bit", "3"})),
        Arguments.of("a clip, then the no-clip shift", List.of(
            new String[] {"clip", "a_min", "-5000", "a_max", "4000"},
            new String[] {"cvm_right_shift", "precision", "24", "shift_bit", "10"})),
        Arguments.of("relu, overlapping clips, a saturating shift", List.of(new String[] {"relu"},
            new String[] {"clip", "a_min", "-100", "a_max", "20000"}, new String[] {"cvm_clip", "precision", "12"},
            new String[] {"cvm_right_shift", "precision", "8", "shift_bit", "5"})),
        Arguments.of("a shift, then clips", List.of(new String[] {"cvm_right_shift", "precision", "16", "shift_bit", "2"},
            new String[] {"clip", "a_min", "-9", "a_max", "9"}, new String[] {"relu"})));
  }

  @Test
  void inputsOutsideInt8AreNarrowedByGroupsOneConvAndReadWholeByDepthwiseConvAsTheReference() {
    // data (precision 32) -> cvm_right_shift(p 8, b 24): the no-clip branch gives values up to 128,
    // which a groups == 1 conv2d reads as -128 and a depthwise conv2d reads as 128
    int n = 2;
    int c = 4;
    Random r = new Random(7);
    CvmGraphBuilder b = new CvmGraphBuilder();
    int x = b.input("data", new long[] {n, c, 6, 6}, 32);
    long[] xs = {n, c, 6, 6};
    int sh = b.op("cvm_right_shift", Map.of("precision", "8", "shift_bit", "24"), xs, x);
    int w1 = b.param("w1", new long[] {5, c, 3, 3}, 8, r.ints(5L * c * 9, -127, 128).toArray());
    int y1 = b.op("conv2d", Map.of("channels", "5", "kernel_size", "(3, 3)", "padding", "(1, 1)", "use_bias", "False"),
        new long[] {n, 5, 6, 6}, sh, w1);
    int w2 = b.param("w2", new long[] {c, 1, 3, 3}, 8, r.ints(c * 9L, -127, 128).toArray());
    int y2 = b.op("conv2d", Map.of("channels", "" + c, "kernel_size", "(3, 3)", "padding", "(1, 1)", "groups", "" + c,
        "use_bias", "False"), xs, sh, w2);
    CvmModel m = b.head(y1).head(y2).build();
    int[] in = new int[n * c * 36];
    for (int i = 0; i < in.length; i++) {
      in[i] = i % 3 == 0 ? Integer.MAX_VALUE - r.nextInt(1 << 20) : r.nextInt() / 2;
    }
    int[] naive = assertAllVariantsAgree(m, in, 0);
    // a 128 really reached the kernels: the conv2d output differs from one computed with 127
    int[] clipped = in.clone();
    for (int i = 0; i < clipped.length; i++) {
      clipped[i] = Math.min(clipped[i], 127 << 24);
    }
    int[] naiveClipped = CvmExecutor.load(m, "t", new CvmExecutor.Options(1, CvmExecutor.ConvKernel.NAIVE))
        .run(clipped).outputs().get(0).values();
    assertTrue(!java.util.Arrays.equals(naive, naiveClipped), "the test input must contain the value 128");
  }

  @Test
  void theVectorInt8RangeCheckAgreesWithThePlainOneOnEveryLengthAndOffendingPosition() {
    PackedKernels pk = new PackedKernels(true);
    org.junit.jupiter.api.Assumptions.assumeTrue(pk.vector(), "the Vector API is not available");
    int lanes = pk.lanes;
    int[] offending = {128, -129, Integer.MAX_VALUE, Integer.MIN_VALUE};
    for (int n = 0; n <= 3 * lanes + 1; n++) {
      for (int from : new int[] {0, 1, lanes - 1}) {
        int[] x = new int[from + n];
        java.util.Arrays.fill(x, -128);
        for (int i = from; i < x.length; i += 2) {
          x[i] = 127;
        }
        assertEquals(true, PackedKernels.fitsInt8(true, x, from, n), "n=" + n + " from=" + from);
        for (int at = from; at < from + n; at++) {
          for (int v : offending) {
            int[] y = x.clone();
            y[at] = v;
            assertEquals(PackedKernels.fitsInt8(false, y, from, n), PackedKernels.fitsInt8(true, y, from, n),
                "n=" + n + " from=" + from + " at=" + at + " value=" + v);
            assertEquals(false, PackedKernels.fitsInt8(true, y, from, n));
            // the next check starts afresh (no lane of the offending one carries over)
            assertEquals(true, PackedKernels.fitsInt8(true, x, from, n), "after n=" + n + " at=" + at);
            assertEquals(true, PackedKernels.fitsInt8(true, x, from, Math.min(n, lanes - 1)));
          }
        }
        // values outside int8 before from or after the range are not read
        int[] z = new int[from + n + 1];
        java.util.Arrays.fill(z, 1 << 20);
        java.util.Arrays.fill(z, from, from + n, 5);
        assertEquals(true, PackedKernels.fitsInt8(true, z, from, n), "n=" + n + " from=" + from);
      }
    }
  }

  @Test
  void floatGemmChunksStayExactAtTheLargestSumsInt8OperandsReach() {
    // every value -128 and every weight -127 (the loader holds weights to |w| <= 127): each product
    // is 16256, a chunk of 256 taps sums to 4161536 (inside the float accumulator's exact range of
    // 2^22), and an interior output of 64 channels x 3x3 taps is 576 * 16256 = 9363456 (more than
    // a float's 24 bits, so the chunks are added in int32)
    int n = 2;
    int c = 64;
    CvmGraphBuilder b = new CvmGraphBuilder();
    // the input is clipped to its precision, so -128 comes from cvm_right_shift's no-clip branch:
    // Integer.MIN_VALUE >> 24, rounded, is -128 (and 127 << 24 gives 127)
    long[] xs = {n, c, 5, 5};
    int x = b.input("data", xs, 32);
    int sh = b.op("cvm_right_shift", Map.of("precision", "8", "shift_bit", "24"), xs, x);
    int[] w = new int[4 * c * 9];
    java.util.Arrays.fill(w, -127);
    int wt = b.param("w", new long[] {4, c, 3, 3}, 8, w);
    int y = b.op("conv2d", Map.of("channels", "4", "kernel_size", "(3, 3)", "padding", "(1, 1)", "use_bias", "False"),
        new long[] {n, 4, 5, 5}, sh, wt);
    CvmModel m = b.head(y).build();
    int[] in = new int[n * c * 25];
    java.util.Arrays.fill(in, Integer.MIN_VALUE);
    int[] out = assertAllVariantsAgree(m, in, 0);
    assertEquals(9363456, out[2 * 5 + 2]);
    // a corner sees 2 x 2 of the 3 x 3 taps
    assertEquals(64 * 4 * 16256, out[0]);
    // 127 and -128 in alternate channels, so partial sums swing both ways
    for (int i = 0; i < in.length; i++) {
      in[i] = (i / 25) % 2 == 0 ? 127 << 24 : Integer.MIN_VALUE;
    }
    out = assertAllVariantsAgree(m, in, 0);
    assertEquals(9 * 32 * (127 * -127 + -128 * -127), out[2 * 5 + 2]);
    // odd products (127 * -127): a sum past the exact range would round in its last bit
    java.util.Arrays.fill(in, 127 << 24);
    out = assertAllVariantsAgree(m, in, 0);
    assertEquals(576 * -16129, out[2 * 5 + 2]);
    assertEquals(64 * 6 * -16129, out[2]);
  }

  @Test
  void aStrideOneConvLaysItsInputOutAsFloatPlanesWithSharedPadsOnce() {
    // [2, 4, 6, 6] with a 3x3 window and padding 1: rows of 6 + 1 (the pad between rows is shared),
    // 6 + 1 rows per image (the pad between images is shared) below one pad row, and one more pad
    // value: (1 + 2 * 7) * 7 + 1 = 106 floats per channel. The last tap of the last channel starts
    // at 3 * 106 + 2 * 7 + 2 = 334, and the GEMM's 2 * 7 * 7 = 98 columns are read in whole tiles
    CvmGraphBuilder b = new CvmGraphBuilder();
    int x = b.input("data", new long[] {2, 4, 6, 6}, 8);
    int w = b.param("w", new long[] {3, 4, 3, 3}, 8, new Random(5).ints(3 * 4 * 9, -127, 128).toArray());
    int y = b.op("conv2d", Map.of("channels", "3", "kernel_size", "(3, 3)", "padding", "(1, 1)", "use_bias", "False"),
        new long[] {2, 3, 6, 6}, x, w);
    CvmModel m = b.head(y).build();
    CvmExecutor e = CvmExecutor.load(m, "t", new CvmExecutor.Options(1, CvmExecutor.ConvKernel.PACKED));
    int tp = 4 * VectorKernels.L;
    int tiles = (98 + tp - 1) / tp;
    assertEquals(4L * Math.max(4 * 106, 334 + tiles * tp), e.scratchBytes());
    // the int32 kernels keep no such buffer
    assertEquals(0, CvmExecutor.load(m, "t", new CvmExecutor.Options(1, CvmExecutor.ConvKernel.PACKED_SCALAR))
        .scratchBytes());
    assertAllVariantsAgree(m, new Random(6).ints(2 * 4 * 36, -127, 128).toArray(), 0);
  }

  @Test
  void aPointwiseConvWhoseTilesSpanImagesNarrowsInputsOutsideInt8AsTheReference() {
    // 5 images of 7x7: a 64-column tile holds parts of two or three images; the no-clip branch of
    // cvm_right_shift gives values up to 128, which the conv2d reads as -128
    int n = 5;
    int c = 6;
    Random r = new Random(23);
    CvmGraphBuilder b = new CvmGraphBuilder();
    long[] xs = {n, c, 7, 7};
    int x = b.input("data", xs, 32);
    int sh = b.op("cvm_right_shift", Map.of("precision", "8", "shift_bit", "24"), xs, x);
    int w = b.param("w", new long[] {9, c, 1, 1}, 8, r.ints(9L * c, -127, 128).toArray());
    int y = b.op("conv2d", Map.of("channels", "9", "kernel_size", "(1, 1)", "use_bias", "False"),
        new long[] {n, 9, 7, 7}, sh, w);
    int[] in = new int[n * c * 49];
    for (int i = 0; i < in.length; i++) {
      in[i] = i % 3 == 0 ? Integer.MAX_VALUE - r.nextInt(1 << 20) : r.nextInt() / 2;
    }
    assertAllVariantsAgree(b.head(y).build(), in, 0);
  }

  /** dense + bias + right shift in its saturating, no-clip (p + b >= 32) and sign (b >= 31) branches + clip. */
  @ParameterizedTest(name = "precision {0}, shift {1}")
  @MethodSource("shifts")
  void denseWithEachRightShiftBranchMatchesTheNaiveKernel(int prec, int bit) {
    int m = 70; // two column tiles of 64
    int k = 70;
    int u = 13;
    Random r = new Random(prec * 31 + bit);
    CvmGraphBuilder b = new CvmGraphBuilder();
    int x = b.input("data", new long[] {m, k}, 8);
    int w = b.param("w", new long[] {u, k}, 8, r.ints((long) u * k, -127, 128).toArray());
    int bias = b.param("b", new long[] {u}, 20, r.ints(u, -500000, 500000).toArray());
    int y = b.op("dense", Map.of("units", "" + u), new long[] {m, u}, x, w, bias);
    y = b.op("cvm_right_shift", Map.of("precision", "" + prec, "shift_bit", "" + bit), new long[] {m, u}, y);
    y = b.op("clip", Map.of("a_min", "-100", "a_max", "90"), new long[] {m, u}, y);
    assertAllVariantsAgree(b.head(y).build(), r.ints((long) m * k, -127, 128).toArray(), 0);
  }

  static Stream<Arguments> shifts() {
    return Stream.of(Arguments.of(8, 5), Arguments.of(16, 1), Arguments.of(24, 10), Arguments.of(1, 3),
        Arguments.of(8, 31));
  }

  @Test
  void aChainOfElementwiseNodesNeedsOnlyTwoBuffers() {
    // data[1000] -> 10 x relu, each with its own storage id in the file: data is dead after the
    // first relu, so two buffers of 1000 int32 values alternate
    CvmGraphBuilder b = new CvmGraphBuilder();
    int x = b.input("data", new long[] {1000}, 8);
    for (int i = 0; i < 10; i++) {
      x = b.op(i % 2 == 0 ? "relu" : "cvm_clip", i % 2 == 0 ? Map.of() : Map.of("precision", "7"),
          new long[] {1000}, x);
    }
    CvmExecutor e = CvmExecutor.load(b.head(x).build(), "t", CvmExecutor.Options.threads(1));
    assertEquals(2 * 1000 * 4, e.bufferBytes());
    int[] in = new int[1000];
    for (int i = 0; i < in.length; i++) {
      in[i] = i % 255 - 127;
    }
    int[] out = e.run(in).outputs().get(0).values();
    for (int i = 0; i < in.length; i++) {
      assertEquals(Math.min(Math.max(in[i], 0), 63), out[i], "element " + i);
    }
  }

  @Test
  void convFollowedByClipReluAndShiftRunsAsOneStep() {
    CvmGraphBuilder b = new CvmGraphBuilder();
    int x = b.input("data", new long[] {1, 2, 4, 4}, 8);
    int w = b.param("w", new long[] {3, 2, 3, 3}, 8, new Random(1).ints(54, -127, 128).toArray());
    long[] os = {1, 3, 4, 4};
    int y = b.op("conv2d", Map.of("channels", "3", "kernel_size", "(3, 3)", "padding", "(1, 1)", "use_bias", "False"),
        os, x, w);
    y = b.op("cvm_clip", Map.of("precision", "16"), os, y);
    y = b.op("relu", Map.of(), os, y);
    y = b.op("cvm_right_shift", Map.of("precision", "8", "shift_bit", "4"), os, y);
    CvmModel m = b.head(y).build();
    assertEquals(1, CvmExecutor.load(m, "t", CvmExecutor.Options.threads(1)).stepCount());
    assertEquals(4, CvmExecutor.load(m, "t", new CvmExecutor.Options(1, CvmExecutor.ConvKernel.NAIVE)).stepCount());
  }

  @Test
  void aScaleByAOneElementParameterIsFusedAndGivesTheNaiveBits() {
    // the residual branch of compiled ResNets: conv2d -> cvm_clip -> broadcast_mul(scale[1]) -> cvm_right_shift
    Random r = new Random(3);
    CvmGraphBuilder b = new CvmGraphBuilder();
    int x = b.input("data", new long[] {2, 8, 6, 6}, 8);
    int w = b.param("w", new long[] {8, 8, 3, 3}, 8, r.ints(576, -127, 128).toArray());
    int bias = b.param("b", new long[] {8}, 16, r.ints(8, -30000, 30000).toArray());
    int scale = b.param("scale", new long[] {1}, 10, new int[] {-389});
    long[] os = {2, 8, 6, 6};
    int y = b.op("conv2d", Map.of("channels", "8", "kernel_size", "(3, 3)", "padding", "(1, 1)"), os, x, w, bias);
    y = b.op("cvm_clip", Map.of("precision", "16"), os, y);
    y = b.op("broadcast_mul", Map.of(), os, y, scale);
    y = b.op("cvm_right_shift", Map.of("precision", "16", "shift_bit", "9"), os, y);
    CvmModel m = b.head(y).build();
    assertEquals(1, CvmExecutor.load(m, "t", CvmExecutor.Options.threads(1)).stepCount());
    assertAllVariantsAgree(m, r.ints(2 * 8 * 36, -127, 128).toArray(), 0);
  }

  @Test
  void aScaledChainWhoseResultTakesTheStorageOfTheConvInputStillRunsAsOneStepWithTheNaiveBits() {
    // data -> relu -> conv2d -> cvm_clip -> broadcast_mul(scale[1]) -> cvm_right_shift: the liveness
    // plan gives the shift's result the storage of the relu output (dead after the conv reads it), as
    // in every residual branch of a compiled ResNet. The executor moves that result to storage of its
    // own, so the chain still runs as one step, and the bits stay the naive kernel's.
    Random r = new Random(5);
    CvmGraphBuilder b = new CvmGraphBuilder();
    long[] s = {2, 8, 6, 6};
    int x = b.input("data", s, 8);
    int a = b.op("relu", Map.of(), s, x);
    int w = b.param("w", new long[] {8, 8, 3, 3}, 8, r.ints(576, -127, 128).toArray());
    int bias = b.param("b", new long[] {8}, 16, r.ints(8, -30000, 30000).toArray());
    int scale = b.param("scale", new long[] {1}, 10, new int[] {411});
    int y = b.op("conv2d", Map.of("channels", "8", "kernel_size", "(3, 3)", "padding", "(1, 1)"), s, a, w, bias);
    y = b.op("cvm_clip", Map.of("precision", "16"), s, y);
    y = b.op("broadcast_mul", Map.of(), s, y, scale);
    y = b.op("cvm_right_shift", Map.of("precision", "8", "shift_bit", "12"), s, y);
    CvmModel m = b.head(y).build();
    List<Integer> sid = m.graph().attrs().storageId();
    assertEquals(sid.get(1), sid.get(8), "the plan gives the result (entry 8) the relu output's storage (entry 1)");
    // relu, then conv2d with clip, scale and shift
    assertEquals(2, CvmExecutor.load(m, "t", CvmExecutor.Options.threads(1)).stepCount());
    assertAllVariantsAgree(m, r.ints(2 * 8 * 36, -127, 128).toArray(), 0);
  }

  @Test
  void elemwiseAddAndSubWithAReluShiftTailRunAsOneStepWithTheNaiveBits() {
    Random r = new Random(11);
    CvmGraphBuilder b = new CvmGraphBuilder();
    long[] s = {3, 5000};
    int x = b.input("data", s, 8);
    int y = b.op("relu", Map.of(), s, x);
    int z = b.op("negative", Map.of(), s, x);
    int add = b.op("elemwise_add", Map.of(), s, y, z);
    add = b.op("cvm_right_shift", Map.of("precision", "6", "shift_bit", "2"), s, add);
    int sub = b.op("elemwise_sub", Map.of(), s, y, z);
    sub = b.op("relu", Map.of(), s, sub);
    sub = b.op("cvm_right_shift", Map.of("precision", "7", "shift_bit", "1"), s, sub);
    CvmModel m = b.head(add).head(sub).build();
    // relu, negative, add+shift, sub+relu+shift
    assertEquals(4, CvmExecutor.load(m, "t", CvmExecutor.Options.threads(1)).stepCount());
    int[] in = r.ints(15000, -127, 128).toArray();
    assertAllVariantsAgree(m, in, 0);
    int[] out = CvmExecutor.load(m, "t", CvmExecutor.Options.threads(2)).run(in).outputs().get(1).values();
    for (int i = 0; i < in.length; i++) {
      // relu(x) - (-x) = relu(x) + x; then relu and right shift by 1 rounding half up, saturating at 63
      int v = Math.max(Math.max(in[i], 0) + in[i], 0);
      assertEquals(Math.min((v + 1) >> 1, 63), out[i], "element " + i);
    }
  }

  @Test
  void anElementwiseNodeHeadsAVectorisedPassOfItsOwnAndGivesTheNaiveBits() {
    // the shortcut of compiled ResNets, data -> broadcast_mul(scale[1]) -> cvm_right_shift, runs as one
    // pass; data is read twice, so its lone cvm_right_shift runs as a pass too. 7 x 5,717 elements:
    // two chunks of the pass, and a tail shorter than a vector
    Random r = new Random(5);
    CvmGraphBuilder b = new CvmGraphBuilder();
    long[] s = {7, 5717};
    int x = b.input("data", s, 16);
    int scale = b.param("scale", new long[] {1}, 10, new int[] {-389});
    int y = b.op("broadcast_mul", Map.of(), s, x, scale);
    y = b.op("cvm_right_shift", Map.of("precision", "8", "shift_bit", "9"), s, y);
    int z = b.op("cvm_right_shift", Map.of("precision", "4", "shift_bit", "3"), s, x);
    CvmModel m = b.head(y).head(z).build();
    assertEquals(2, CvmExecutor.load(m, "t", CvmExecutor.Options.threads(1)).stepCount());
    assertEquals(3, CvmExecutor.load(m, "t", new CvmExecutor.Options(1, CvmExecutor.ConvKernel.NAIVE)).stepCount());
    int[] in = r.ints(7 * 5717, -32767, 32768).toArray();
    assertAllVariantsAgree(m, in, 1);
    // cvm_right_shift(p 4, b 3): ((1000 >> 2) + 1) >> 1 = 125, clipped to 7; ((-20 >> 2) + 1) >> 1 = -2
    in[0] = 1000;
    in[1] = -20;
    int[] shifted = assertAllVariantsAgree(m, in, 1);
    assertEquals(7, shifted[0]);
    assertEquals(-2, shifted[1]);
  }

  /** Runs every fast variant on 1, 2 and 3 threads; asserts each output equals the naive one; returns head h. */
  private static int[] assertAllVariantsAgree(CvmModel m, int[] in, int h) {
    CvmResult ref = CvmExecutor.load(m, "t", new CvmExecutor.Options(1, CvmExecutor.ConvKernel.NAIVE)).run(in);
    List<String> bad = new ArrayList<>();
    for (CvmExecutor.ConvKernel k : FAST) {
      for (int t = 1; t <= 3; t++) {
        CvmExecutor e = CvmExecutor.load(m, "t", new CvmExecutor.Options(t, k));
        // twice: the second run reuses the buffers of the first
        for (int rep = 0; rep < 2; rep++) {
          CvmResult got = e.run(in);
          for (int o = 0; o < ref.outputs().size(); o++) {
            if (!java.util.Arrays.equals(ref.outputs().get(o).values(), got.outputs().get(o).values())) {
              bad.add(k + "/" + t + " threads, run " + rep + ", head " + o);
            }
          }
        }
      }
    }
    assertEquals(List.of(), bad);
    return ref.outputs().get(h).values();
  }
}
