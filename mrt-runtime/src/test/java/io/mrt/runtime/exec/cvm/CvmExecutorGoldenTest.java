package io.mrt.runtime.exec.cvm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mrt.runtime.io.cvm.CvmEntryRef;
import io.mrt.runtime.io.cvm.CvmGraph;
import io.mrt.runtime.io.cvm.CvmGraphAttrs;
import io.mrt.runtime.io.cvm.CvmGraphBuilder;
import io.mrt.runtime.io.cvm.CvmModel;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Hand-computed values for behaviour the conformance suite does not pin down: rounding of negative
 * odd numbers, saturation edges, input clipping, int8 output narrowing, the int8 cast of conv2d,
 * the reduce and non_max_suppression quirks, in-place storage, and identical results for any
 * thread count.
 */
class CvmExecutorGoldenTest {
  private static final CvmExecutor.Options ONE = CvmExecutor.Options.threads(1);

  private static int[] run1(CvmModel m, int... input) {
    return CvmExecutor.load(m, "test", ONE).run(input).outputs().get(0).values();
  }

  /** data[n] (precision 32, so nothing is clipped but INT32_MIN) -> cvm_right_shift(p, b). */
  private static int[] rightShift(int p, int b, int... x) {
    CvmGraphBuilder g = new CvmGraphBuilder();
    int d = g.input("data", new long[] {x.length}, 32);
    int r = g.op("cvm_right_shift", Map.of("precision", "" + p, "shift_bit", "" + b), new long[] {x.length}, d);
    return run1(g.head(r).build(), x);
  }

  @Test
  void rightShiftRoundsHalfUpIncludingNegativeOddNumbers() {
    // x / 2: -2.5 -> -2, -1.5 -> -1, -0.5 -> 0, 0.5 -> 1, 1.5 -> 2, 2.5 -> 3
    assertArrayEquals(new int[] {-2, -1, 0, 1, 2, 3}, rightShift(8, 1, -5, -3, -1, 1, 3, 5));
    // x / 8: -1.625 -> -2, -1.5 -> -1, -1.375 -> -1, -0.625 -> -1, -0.5 -> 0, 0.5 -> 1, 1.5 -> 2
    assertArrayEquals(new int[] {-2, -1, -1, -1, 0, 1, 2}, rightShift(8, 3, -13, -12, -11, -5, -4, 4, 12));
  }

  @Test
  void rightShiftSaturatesAtThePrecision() {
    // p = 8: |y| <= 127; 253/2 = 126.5 -> 127, 254/2 = 127, 255/2 = 127.5 -> 128 -> 127, -255/2 = -127.5 -> -127
    assertArrayEquals(new int[] {127, 127, 127, -127, -127, -127, 127, -127},
        rightShift(8, 1, 253, 254, 255, -254, -255, -256, 1_000_000, -1_000_000));
    assertArrayEquals(new int[] {127, 127, 127, -127}, rightShift(8, 3, 1012, 1015, 1016, -1021));
  }

  @Test
  void rightShiftEdgeBranches() {
    assertArrayEquals(new int[] {0, 0, 0}, rightShift(1, 4, 100, -100, 7), "precision 1 gives 0");
    assertArrayEquals(new int[] {0, -1, -1, 0}, rightShift(8, 31, 5, -5, -2147483647, 2147483647),
        "shift_bit >= 31 gives x >> 31");
    // p + b >= 32: no clip, so 2^31-1 >> 16 rounds to 32768 = R(16) + 1
    assertArrayEquals(new int[] {32768, -32768, 1}, rightShift(16, 16, 2147483647, -2147483647, 65535));
  }

  @Test
  void noClipBranchValue128ComesBackAsMinus128InAnInt8Output() {
    // p = 8, b = 24: (2^31-1) -> 128 = R + 1; every head has precision 8, so outputs are narrowed to int8
    CvmGraphBuilder g = new CvmGraphBuilder();
    int d = g.input("data", new long[] {2}, 32);
    int r = g.op("cvm_right_shift", Map.of("precision", "8", "shift_bit", "24"), new long[] {2}, d);
    CvmResult res = CvmExecutor.load(g.head(r).build(), "t", ONE).run(new int[] {2147483647, 8388608});
    assertTrue(res.int8());
    assertArrayEquals(new int[] {-128, 1}, res.outputs().get(0).values());
  }

  @Test
  void cvmClipSaturatesSymmetrically() {
    CvmGraphBuilder g = new CvmGraphBuilder();
    int d = g.input("data", new long[] {6}, 32);
    int c = g.op("cvm_clip", Map.of("precision", "8"), new long[] {6}, d);
    assertArrayEquals(new int[] {127, 127, -127, -127, 0, 5},
        run1(g.head(c).build(), 127, 128, -127, -128, 0, 5));
  }

  @Test
  void inputIsClippedToThePrecisionOfData() {
    // CVM_OPS.md section 6: p = 4, -100 -> -7, 100 -> 7
    CvmGraphBuilder g = new CvmGraphBuilder();
    int d = g.input("data", new long[] {1, 4}, 4);
    int f = g.op("flatten", Map.of(), new long[] {1, 4}, d);
    assertArrayEquals(new int[] {-7, 7, 3, -3}, run1(g.head(f).build(), -100, 100, 3, -3));
  }

  @Test
  void theMinimalExampleOfTheFormatSpecComputesByHand() {
    // dense: [1 2 3 4] . [1 2 3 4] + 10 = 40, . [-1 -2 -3 -4] - 10 = -40, . [127 0 0 -127] = -381;
    // second row 80, -80, -381; right shift by 2 rounds: 10, -10, -95 (-95.25), 20, -20, -95
    CvmModel m = io.mrt.runtime.testutil.CvmExamples.example();
    CvmExecutor e = CvmExecutor.load(m, "example", ONE);
    CvmResult r = e.run(new int[] {1, 2, 3, 4, 5, 6, 7, 8});
    assertArrayEquals(new int[] {10, -10, -95, 20, -20, -95}, r.outputs().get(0).values());
    assertArrayEquals(new long[] {2, 3}, r.outputs().get(0).shape());
    assertTrue(r.int8());
    assertEquals(8, e.outputPrecision(0));
    // gas (CVM_OPS.md section 5): memory 5 x (8 + 12 + 3 + 6 + 6) = 175; ops (4*3+1) x 6 + 1 x 6 = 84
    assertEquals(259, e.gas());
    // storage: data 8, weight 12, bias 3, and dense's 6 values, which cvm_right_shift overwrites in place
    assertEquals(4 * 29, e.storageBytes());
  }

  @Test
  void outputsAreNarrowedToInt8WhenEveryHeadHasPrecisionAtMost8() {
    // where takes the precision of its condition (2), so the 16-bit values 300 and -200 leave as int8 44 and 56
    CvmGraphBuilder g = new CvmGraphBuilder();
    int c = g.input("data", new long[] {2}, 2);
    int x = g.param("x", new long[] {2}, 16, new int[] {300, 300});
    int y = g.param("y", new long[] {2}, 16, new int[] {-200, -200});
    int w = g.op("where", Map.of(), new long[] {2}, c, x, y);
    CvmExecutor e = CvmExecutor.load(g.head(w).build(), "t", ONE);
    assertEquals(2, e.outputPrecision(0));
    assertArrayEquals(new int[] {44, 56}, e.run(new int[] {1, 0}).outputs().get(0).values());
  }

  @Test
  void conv2dComputesByHandWithPaddingAndStride() {
    int[] x = {1, 2, 3, 4, 5, 6, 7, 8, 9};
    int[] w = {1, 2, 3, 4};
    // no padding: 1+4+12+20 = 37, 2+6+15+24 = 47, 4+10+21+32 = 67, 5+12+24+36 = 77
    assertArrayEquals(new int[] {37, 47, 67, 77}, conv(x, w, "(0, 0)", "(1, 1)", 2));
    // padding 1, stride 2: 1*4 = 4, 2*3+3*4 = 18, 4*2+7*4 = 36, 5*1+6*2+8*3+9*4 = 77
    assertArrayEquals(new int[] {4, 18, 36, 77}, conv(x, w, "(1, 1)", "(2, 2)", 2));
  }

  private static int[] conv(int[] x, int[] w, String pad, String stride, long out) {
    for (CvmExecutor.ConvKernel k : CvmExecutor.ConvKernel.values()) {
      CvmGraphBuilder g = new CvmGraphBuilder();
      int d = g.input("data", new long[] {1, 1, 3, 3}, 8);
      int wt = g.param("w", new long[] {1, 1, 2, 2}, 8, w);
      int c = g.op("conv2d", Map.of("channels", "1", "kernel_size", "(2, 2)", "padding", pad, "strides", stride,
          "use_bias", "False"), new long[] {1, 1, out, out}, d, wt);
      int[] r = CvmExecutor.load(g.head(c).build(), "t", new CvmExecutor.Options(2, k)).run(x).outputs().get(0)
          .values();
      if (k == CvmExecutor.ConvKernel.NAIVE) {
        return r;
      }
      assertArrayEquals(r, conv1(x, w, pad, stride, out, CvmExecutor.ConvKernel.NAIVE));
    }
    throw new AssertionError();
  }

  private static int[] conv1(int[] x, int[] w, String pad, String stride, long out, CvmExecutor.ConvKernel k) {
    CvmGraphBuilder g = new CvmGraphBuilder();
    int d = g.input("data", new long[] {1, 1, 3, 3}, 8);
    int wt = g.param("w", new long[] {1, 1, 2, 2}, 8, w);
    int c = g.op("conv2d", Map.of("channels", "1", "kernel_size", "(2, 2)", "padding", pad, "strides", stride,
        "use_bias", "False"), new long[] {1, 1, out, out}, d, wt);
    return CvmExecutor.load(g.head(c).build(), "t", new CvmExecutor.Options(1, k)).run(x).outputs().get(0).values();
  }

  @Test
  void conv2dWithOneGroupCastsItsInputToInt8() {
    // where gives the 16-bit value 200 precision 2; conv2d (groups 1) reads it as (int8) 200 = -56
    CvmGraphBuilder g = new CvmGraphBuilder();
    int c = g.input("data", new long[] {1, 1, 1, 2}, 2);
    int x = g.param("x", new long[] {1, 1, 1, 2}, 16, new int[] {200, 200});
    int y = g.param("y", new long[] {1, 1, 1, 2}, 16, new int[] {-300, 3});
    int wh = g.op("where", Map.of(), new long[] {1, 1, 1, 2}, c, x, y);
    int w = g.param("w", new long[] {1, 1, 1, 1}, 8, new int[] {1});
    int cv = g.op("conv2d", Map.of("channels", "1", "kernel_size", "(1, 1)", "use_bias", "False"),
        new long[] {1, 1, 1, 2}, wh, w);
    assertArrayEquals(new int[] {-56, 3}, run1(g.head(cv).build(), 1, 0));
  }

  @Test
  void conv2dAndDenseGiveIdenticalBitsForAnyThreadCount() {
    Random rnd = new Random(7);
    CvmGraphBuilder g = new CvmGraphBuilder();
    int d = g.input("data", new long[] {3, 8, 17, 13}, 8);
    int w = g.param("w", new long[] {12, 8, 3, 3}, 8, rnd.ints(12 * 8 * 9, -127, 128).toArray());
    int b = g.param("b", new long[] {12}, 20, rnd.ints(12, -500000, 500000).toArray());
    int c = g.op("conv2d", Map.of("channels", "12", "kernel_size", "(3, 3)", "padding", "(1, 1)"),
        new long[] {3, 12, 17, 13}, d, w, b);
    int gw = g.param("gw", new long[] {12, 2, 2, 2}, 8, rnd.ints(12 * 2 * 4, -127, 128).toArray());
    int gc = g.op("conv2d", Map.of("channels", "12", "kernel_size", "(2, 2)", "groups", "4", "use_bias", "False"),
        new long[] {3, 12, 16, 12}, d, gw);
    CvmModel m = g.head(c).head(gc).build();
    CvmGraphBuilder g2 = new CvmGraphBuilder();
    int d2 = g2.input("data", new long[] {16, 40}, 8);
    int w2 = g2.param("w", new long[] {33, 40}, 8, rnd.ints(33 * 40, -127, 128).toArray());
    int den = g2.op("dense", Map.of("units", "33", "use_bias", "False"), new long[] {16, 33}, d2, w2);
    CvmModel dense = g2.head(den).build();
    int[] input = rnd.ints(3 * 8 * 17 * 13, -127, 128).toArray();
    int[] dinput = rnd.ints(16 * 40, -127, 128).toArray();
    CvmModel convOnly = m;
    CvmResult ref = CvmExecutor.load(convOnly, "t", new CvmExecutor.Options(1, CvmExecutor.ConvKernel.NAIVE))
        .run(input);
    int[] dref = CvmExecutor.load(dense, "t", ONE).run(dinput).outputs().get(0).values();
    for (int threads : new int[] {1, 2, 3, 8}) {
      CvmResult r = CvmExecutor.load(convOnly, "t", CvmExecutor.Options.threads(threads)).run(input);
      assertArrayEquals(ref.outputs().get(0).values(), r.outputs().get(0).values(), "conv2d, threads " + threads);
      assertArrayEquals(ref.outputs().get(1).values(), r.outputs().get(1).values(), "grouped, threads " + threads);
      assertArrayEquals(dref, CvmExecutor.load(dense, "t", CvmExecutor.Options.threads(threads)).run(dinput)
          .outputs().get(0).values(), "dense, threads " + threads);
    }
  }

  @Test
  void maxWithEmptyAxisStartsAtZero() {
    // CVM_OPS.md section 6: max over [-5, -3, -9] with the default axis returns 0
    CvmGraphBuilder g = new CvmGraphBuilder();
    int d = g.input("data", new long[] {3}, 8);
    int m = g.op("max", Map.of(), new long[] {1}, d);
    assertArrayEquals(new int[] {0}, run1(g.head(m).build(), -5, -3, -9));
    CvmGraphBuilder h = new CvmGraphBuilder();
    int e = h.input("data", new long[] {3}, 8);
    int n = h.op("max", Map.of("exclude", "True"), new long[] {1}, e);
    assertArrayEquals(new int[] {-3}, run1(h.head(n).build(), -5, -3, -9), "with exclude the max is right");
  }

  @Test
  void sumKeepsTheReferenceIndexMappingWhenAKeptDimensionOfSizeOneFollowsAReducedOne() {
    // x[a, b, 0, c] = 4a + 2b + c, shape (2, 2, 1, 2), sum over axis 1 -> shape (2, 1, 2).
    // numpy gives [2, 4, 10, 12]; the reference kernel maps the output row a through the size-1 axis
    // (stride 2 instead of 4) and returns [0+2, 1+3, 2+4, 3+5] = [2, 4, 6, 8].
    CvmGraphBuilder g = new CvmGraphBuilder();
    int d = g.input("data", new long[] {2, 2, 1, 2}, 8);
    int s = g.op("sum", Map.of("axis", "(1,)"), new long[] {2, 1, 2}, d);
    assertArrayEquals(new int[] {2, 4, 6, 8}, run1(g.head(s).build(), 0, 1, 2, 3, 4, 5, 6, 7));
    CvmGraphBuilder h = new CvmGraphBuilder();
    int e = h.input("data", new long[] {2, 2, 2}, 8);
    int t = h.op("sum", Map.of("axis", "(1,)"), new long[] {2, 2}, e);
    assertArrayEquals(new int[] {2, 4, 10, 12}, run1(h.head(t).build(), 0, 1, 2, 3, 4, 5, 6, 7),
        "without a size-1 dimension the mapping is the plain one");
  }

  private static final int[] BOXES = {
      0, 10, 0, 0, 10, 10,
      0, 30, 0, 0, 10, 10,
      1, 20, 20, 20, 30, 30,
      0, 5, 50, 50, 60, 60};

  @Test
  void nonMaxSuppressionKeepsTopKAndOverwritesTheRestOfItsInput() {
    // sorted by score: rows 1 (30), 2 (20), 0 (10), 3 (5); top_k = 2 keeps rows 1 and 2 (different classes),
    // and the reference kernel writes -1 into input rows 0 and 3, which a later reader of that entry sees
    CvmGraphBuilder g = new CvmGraphBuilder();
    int d = g.input("data", new long[] {1, 4, 6}, 8);
    int x = g.op("repeat", Map.of("repeats", "1"), new long[] {1, 4, 6}, d);
    int vc = g.param("vc", new long[] {1}, 8, new int[] {4});
    int n = g.op("non_max_suppression", Map.of("iou_threshold", "50", "top_k", "2"), new long[] {1, 4, 6}, x, vc);
    CvmResult r = CvmExecutor.load(g.head(n).head(x).build(), "t", ONE).run(BOXES);
    assertArrayEquals(new int[] {
        0, 30, 0, 0, 10, 10,
        1, 20, 20, 20, 30, 30,
        -1, -1, -1, -1, -1, -1,
        -1, -1, -1, -1, -1, -1}, r.outputs().get(0).values());
    assertArrayEquals(new int[] {
        -1, -1, -1, -1, -1, -1,
        0, 30, 0, 0, 10, 10,
        1, 20, 20, 20, 30, 30,
        -1, -1, -1, -1, -1, -1}, r.outputs().get(1).values());
  }

  @Test
  void nonMaxSuppressionSuppressesOverlapsOfOneClassAndStopsAtAnEmptyBatch() {
    // batch 0 has valid_count 0: its output is all -1 and the kernel returns, leaving batch 1 unwritten (0)
    CvmGraphBuilder g = new CvmGraphBuilder();
    int d = g.input("data", new long[] {2, 4, 6}, 8);
    int vc = g.param("vc", new long[] {2}, 8, new int[] {0, 4});
    int n = g.op("non_max_suppression", Map.of("iou_threshold", "50"), new long[] {2, 4, 6}, d, vc);
    int[] in = new int[48];
    System.arraycopy(BOXES, 0, in, 24, 24);
    int[] out = run1(g.head(n).build(), in);
    for (int i = 0; i < 24; i++) {
      assertEquals(-1, out[i]);
      assertEquals(0, out[24 + i]);
    }
    // one batch: rows 1 and 0 overlap fully (IoU 100 >= 50, same class): row 0 is suppressed
    CvmGraphBuilder h = new CvmGraphBuilder();
    int e = h.input("data", new long[] {1, 4, 6}, 8);
    int v = h.param("vc", new long[] {1}, 8, new int[] {4});
    int m = h.op("non_max_suppression", Map.of("iou_threshold", "50"), new long[] {1, 4, 6}, e, v);
    assertArrayEquals(new int[] {
        0, 30, 0, 0, 10, 10,
        1, 20, 20, 20, 30, 30,
        0, 5, 50, 50, 60, 60,
        -1, -1, -1, -1, -1, -1}, run1(h.head(m).build(), BOXES));
  }

  @Test
  void repeatedAndConcurrentRunsGiveTheSameBits() throws Exception {
    // non_max_suppression on a parameter with top_k (writes -1 into its input) and an empty first batch
    // (leaves batch 1 unwritten): a second run must not see anything of the first
    CvmGraphBuilder g = new CvmGraphBuilder();
    int d = g.input("data", new long[] {1}, 8);
    int[] boxes = new int[48];
    System.arraycopy(BOXES, 0, boxes, 24, 24);
    int x = g.param("boxes", new long[] {2, 4, 6}, 8, boxes);
    int vc = g.param("vc", new long[] {2}, 8, new int[] {0, 4});
    int n = g.op("non_max_suppression", Map.of("iou_threshold", "50", "top_k", "2"), new long[] {2, 4, 6}, x, vc);
    int r = g.op("relu", Map.of(), new long[] {1}, d);
    CvmExecutor e = CvmExecutor.load(g.head(n).head(r).build(), "t", ONE);
    int[] first = e.run(new int[] {5}).outputs().get(0).values();
    int[] second = e.run(new int[] {5}).outputs().get(0).values();
    assertArrayEquals(first, second);
    assertEquals(0, first[24], "batch 1 is not written after the empty batch 0");

    CvmGraphBuilder h = new CvmGraphBuilder();
    Random rnd = new Random(3);
    int in = h.input("data", new long[] {2, 4, 9, 9}, 8);
    int w = h.param("w", new long[] {6, 4, 3, 3}, 8, rnd.ints(6 * 36, -127, 128).toArray());
    int c = h.op("conv2d", Map.of("channels", "6", "kernel_size", "(3, 3)", "use_bias", "False"),
        new long[] {2, 6, 7, 7}, in, w);
    CvmExecutor conv = CvmExecutor.load(h.head(c).build(), "t", CvmExecutor.Options.threads(2));
    int[] input = rnd.ints(2 * 4 * 81, -127, 128).toArray();
    int[] want = conv.run(input).outputs().get(0).values();
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
    try {
      List<java.util.concurrent.Future<int[]>> fs = new java.util.ArrayList<>();
      for (int i = 0; i < 16; i++) {
        fs.add(pool.submit(() -> conv.run(input).outputs().get(0).values()));
      }
      for (java.util.concurrent.Future<int[]> f : fs) {
        assertArrayEquals(want, f.get());
      }
    } finally {
      pool.shutdown();
    }
  }

  @Test
  void iouIsAnInt64PercentageOfCornerBoxes() {
    int[] v = {0, 0, 10, 10, 5, 0, 15, 10};
    // overlap 50, union 150: 5000 / 150 = 33
    assertEquals(33, DetectionOps.Nms.iou(v, 0, 4));
    assertEquals(100, DetectionOps.Nms.iou(v, 0, 0));
  }

  @Test
  void inPlaceStorageIsAllowedForReluAndTheResultIsRight() {
    CvmGraphBuilder g = new CvmGraphBuilder();
    int d = g.input("data", new long[] {4}, 8);
    int r = g.op("relu", Map.of(), new long[] {4}, d);
    int n = g.op("negative", Map.of(), new long[] {4}, r);
    CvmModel m = withStorage(g.head(n).build(), List.of(0, 0, 1));
    assertArrayEquals(new int[] {0, -2, 0, -7}, run1(m, -1, 2, -3, 7));
    CvmLoadException e = assertThrows(CvmLoadException.class,
        () -> CvmExecutor.load(withStorage(m, List.of(0, 1, 1)), "m", ONE));
    assertTrue(e.getMessage().startsWith("m: node 2 'negative_0' (negative): output 0 uses the same storage_id 1"),
        e.getMessage());
  }

  @Test
  void eachOperatorsOwnFlagDecidesWhetherItMayShareStorageAndTheRefusalListsThem() {
    // the runtime's allow-list spells negative "nagetive", so negative may not share storage
    assertEquals(java.util.Set.of("abs", "clip", "cvm_clip", "cvm_left_shift", "cvm_precision", "cvm_right_shift",
        "elemwise_add", "elemwise_sub", "expand_dims", "flatten", "relu", "reshape", "squeeze"), CvmOps.sharingStorage());
    // the compiler's storage planner works in place for the same operators (the typo aside)
    java.util.Set<String> planner = new java.util.TreeSet<>(io.mrt.runtime.io.cvm.CvmStoragePlan.IN_PLACE_OPS);
    planner.remove("nagetive");
    assertEquals(planner, CvmOps.sharingStorage());
    CvmGraphBuilder g = new CvmGraphBuilder();
    int d = g.input("data", new long[] {4}, 8);
    int n = g.op("negative", Map.of(), new long[] {4}, d);
    CvmModel m = withStorage(g.head(n).build(), List.of(0, 0));
    CvmLoadException e = assertThrows(CvmLoadException.class, () -> CvmExecutor.load(m, "m", ONE));
    assertEquals("m: node 1 'negative_0' (negative): output 0 uses the same storage_id 0 as its input (0, 0); only "
        + "[abs, clip, cvm_clip, cvm_left_shift, cvm_precision, cvm_right_shift, elemwise_add, elemwise_sub, "
        + "expand_dims, flatten, relu, reshape, squeeze] may share storage", e.getMessage());
  }

  private static CvmModel withStorage(CvmModel m, List<Integer> sids) {
    CvmGraph g = m.graph();
    CvmGraphAttrs a = g.attrs();
    CvmGraphAttrs a2 = new CvmGraphAttrs(a.shape(), sids, a.precision(), a.dltype(), a.opAttrs(), null, null);
    return new CvmModel(new CvmGraph(g.nodes(), g.argNodes(), g.nodeRowPtr(), g.heads(), a2, g.version(), null),
        m.params());
  }

  @Test
  void leftShiftLoadsButFailsAtInferenceNamingTheNode() {
    CvmGraphBuilder g = new CvmGraphBuilder();
    int d = g.input("data", new long[] {2}, 8);
    int s = g.op("cvm_left_shift", Map.of("precision", "16", "shift_bit", "3"), new long[] {2}, d);
    CvmExecutor e = CvmExecutor.load(g.head(s).build(), "m", ONE);
    CvmInferenceException x = assertThrows(CvmInferenceException.class, () -> e.run(new int[] {1, 2}));
    assertTrue(x.getMessage().startsWith("m: node 1 'cvm_left_shift_0' (cvm_left_shift): cvm_left_shift cannot run"),
        x.getMessage());
  }

  @Test
  void refusesWhatTheReferenceCouldOnlyComputeAsGarbage() {
    CvmGraphBuilder g = new CvmGraphBuilder();
    int c = g.input("data", new long[] {2}, 8);
    int x = g.param("x", new long[] {2, 3}, 8, new int[6]);
    int y = g.param("y", new long[] {2, 3}, 8, new int[6]);
    int w = g.op("where", Map.of(), new long[] {2, 3}, c, x, y);
    CvmLoadException e = assertThrows(CvmLoadException.class, () -> CvmExecutor.load(g.head(w).build(), "m", ONE));
    assertTrue(e.getMessage().contains("a 1-D condition [2] with x of shape [2, 3] is refused"), e.getMessage());

    CvmGraphBuilder h = new CvmGraphBuilder();
    int d = h.input("data", new long[] {1, 2, 4, 4}, 8);
    int wt = h.param("w", new long[] {3, 2, 3, 2}, 8, new int[36]);
    int cv = h.op("conv2d", Map.of("channels", "3", "kernel_size", "(2, 2)", "use_bias", "False"),
        new long[] {1, 3, 3, 3}, d, wt);
    CvmLoadException f = assertThrows(CvmLoadException.class, () -> CvmExecutor.load(h.head(cv).build(), "m", ONE));
    assertTrue(f.getMessage().contains("conv2d weight [channels, C/groups, kh, kw]: expected shape [3, 2, 2, 2], "
        + "found [3, 2, 3, 2]"), f.getMessage());
  }

  @Test
  void clipAtTheInt32LimitInfersPrecision33AndIsRefusedNamingTheNode() {
    CvmGraphBuilder g = new CvmGraphBuilder();
    int d = g.input("data", new long[] {2}, 8);
    int c = g.op("clip", Map.of("a_min", "-2147483647", "a_max", "2147483647"), new long[] {2}, d);
    CvmLoadException e = assertThrows(CvmLoadException.class, () -> CvmExecutor.load(g.head(c).build(), "m", ONE));
    assertEquals("m: node 1 'clip_0' (clip): inferred output precision 33 is outside [1, 32] (input precisions [8])",
        e.getMessage());
    CvmGraphBuilder h = new CvmGraphBuilder();
    int e2 = h.input("data", new long[] {2}, 8);
    int c2 = h.op("clip", Map.of("a_min", "-2147483646", "a_max", "2147483646"), new long[] {2}, e2);
    assertEquals(32, CvmExecutor.load(h.head(c2).build(), "m", ONE).outputPrecision(0));
  }

  @Test
  void interleavesHeadsRowByRowAsTheCApiDoes() {
    CvmGraphBuilder g = new CvmGraphBuilder();
    int d = g.input("data", new long[] {2, 3}, 8);
    int r = g.op("relu", Map.of(), new long[] {2, 3}, d);
    int s = g.op("sum", Map.of("axis", "(1,)", "keepdims", "True"), new long[] {2, 1}, d);
    CvmResult res = CvmExecutor.load(g.head(r).head(s).build(), "m", ONE).run(new int[] {1, -2, 3, 4, 5, -6});
    assertFalse(res.int8(), "sum has precision 10");
    assertArrayEquals(new int[] {1, 0, 3, 2, 4, 5, 0, 3}, res.interleaved().toIntArray());
  }

  @Test
  void stripsTheNumberSuffixOfFuncNames() {
    assertEquals("dense", CvmGraphLoader.opName("dense_0"));
    assertEquals("cvm_right_shift", CvmGraphLoader.opName("cvm_right_shift_12"));
    assertEquals("dense", CvmGraphLoader.opName("dense"));
    assertEquals("abs", CvmGraphLoader.opName("abs_"));
    assertEquals(List.of(CvmEntryRef.of(0, 0)), List.of(new CvmEntryRef(0, 0, 0)));
  }
}
