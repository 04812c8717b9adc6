package io.mrt.runtime.io.cvm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mrt.runtime.exec.cvm.CvmExecutor;
import io.mrt.runtime.exec.cvm.CvmResult;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The liveness plan of {@link CvmStoragePlan} on small hand-built graphs: the exact storage ids,
 * the pool size, and the same outputs as with one storage id per entry. {@code negative} is used
 * for plain operators because the reference runtime never lets it run in place (its allow-list
 * spells it {@code nagetive}).
 */
class CvmStoragePlanTest {
  private static final CvmExecutor.Options ONE = CvmExecutor.Options.threads(1);

  private static List<Integer> storage(CvmModel m) {
    return m.graph().attrs().storageId();
  }

  /** Runs the model with its plan and with one storage id per entry; both give {@code want}. */
  private static void runsTheSameWithAndWithoutThePlan(CvmGraphBuilder b, int[] input, int[]... want) {
    for (CvmStoragePlan.Strategy s : CvmStoragePlan.Strategy.values()) {
      CvmResult r = CvmExecutor.load(b.build(s), s.name(), ONE).run(input);
      for (int h = 0; h < want.length; h++) {
        assertArrayEquals(want[h], r.outputs().get(h).values(), s + " head " + h);
      }
    }
  }

  @Test
  void aChainAlternatesBetweenTwoStorageIds() {
    CvmGraphBuilder b = new CvmGraphBuilder();
    int x = b.input("data", new long[] {4}, 8);
    for (int i = 0; i < 4; i++) {
      x = b.op("negative", Map.of(), new long[] {4}, x);
    }
    b.head(x);
    // data 0; each negative reads the one before it, so it cannot reuse that one's id, but the one before that
    assertEquals(List.of(0, 1, 2, 1, 2), storage(b.build()));
    assertEquals(List.of(0, 1, 2, 3, 4), storage(b.build(CvmStoragePlan.Strategy.ONE_PER_ENTRY)));
    CvmStoragePlan.Summary s = CvmStoragePlan.summarize(b.build());
    assertEquals(new CvmStoragePlan.Summary(5, 3, 48, 80, 0, 4), s);
    runsTheSameWithAndWithoutThePlan(b, new int[] {1, -2, 3, -4}, new int[] {1, -2, 3, -4});
  }

  @Test
  void aResidualAddWritesOverItsLastReadInputAndKeepsTheSkipAliveUntilThen() {
    CvmGraphBuilder b = new CvmGraphBuilder();
    int d = b.input("data", new long[] {4}, 8);
    int a = b.op("negative", Map.of(), new long[] {4}, d); // read again by the add
    int x = b.op("negative", Map.of(), new long[] {4}, a);
    int y = b.op("negative", Map.of(), new long[] {4}, x);
    int add = b.op("elemwise_add", Map.of(), new long[] {4}, a, y);
    int out = b.op("negative", Map.of(), new long[] {4}, add);
    b.head(out);
    // a (1) stays alive across x (2) and y (3, since x is still read when y is made); the add runs in
    // place over a; the last negative takes x's released id 2 (the oldest free one)
    assertEquals(List.of(0, 1, 2, 3, 1, 2), storage(b.build()));
    // a = -d, y = -(-(-d)) = -d, add = -2d, out = 2d
    runsTheSameWithAndWithoutThePlan(b, new int[] {1, -2, 3, -4}, new int[] {2, -4, 6, -8});
  }

  @Test
  void anAddWritesOverItsSecondInputWhenTheFirstIsStillReadLater() {
    CvmGraphBuilder b = new CvmGraphBuilder();
    int d = b.input("data", new long[] {4}, 8);
    int a = b.op("negative", Map.of(), new long[] {4}, d); // read by the add and after it
    int x = b.op("negative", Map.of(), new long[] {4}, a);
    int add = b.op("elemwise_add", Map.of(), new long[] {4}, a, x); // in place over x, input 1
    int sub = b.op("elemwise_sub", Map.of(), new long[] {4}, add, a); // in place over add
    b.head(sub);
    assertEquals(List.of(0, 1, 2, 2, 2), storage(b.build()));
    // a = -d, x = d, add = 0, sub = 0 - (-d) = d
    runsTheSameWithAndWithoutThePlan(b, new int[] {1, -2, 3, -4}, new int[] {1, -2, 3, -4});
  }

  @Test
  void aHeadIsNeverReleasedEvenAfterItsLastRead() {
    CvmGraphBuilder b = new CvmGraphBuilder();
    int d = b.input("data", new long[] {4}, 8);
    int a = b.op("negative", Map.of(), new long[] {4}, d);
    int x = b.op("negative", Map.of(), new long[] {4}, a);
    int y = b.op("negative", Map.of(), new long[] {4}, x);
    int z = b.op("negative", Map.of(), new long[] {4}, y);
    b.head(a).head(z);
    // a is read last by x, but as a head it keeps id 1; y takes a new id 3 and z takes x's id 2
    assertEquals(List.of(0, 1, 2, 3, 2), storage(b.build()));
    runsTheSameWithAndWithoutThePlan(b, new int[] {1, -2, 3, -4}, new int[] {-1, 2, -3, 4}, new int[] {1, -2, 3, -4});
  }

  @Test
  void aHeadIsNotOverwrittenInPlace() {
    CvmGraphBuilder b = new CvmGraphBuilder();
    int d = b.input("data", new long[] {4}, 8);
    int a = b.op("negative", Map.of(), new long[] {4}, d);
    int r = b.op("relu", Map.of(), new long[] {4}, a);
    b.head(a).head(r);
    assertEquals(List.of(0, 1, 2), storage(b.build()));
    runsTheSameWithAndWithoutThePlan(b, new int[] {1, -2, 3, -4}, new int[] {-1, 2, -3, 4}, new int[] {0, 2, 0, 4});
  }

  @Test
  void aReshapeAliasesItsInputOnlyWhenItIsTheLastReader() {
    CvmGraphBuilder b = new CvmGraphBuilder();
    int d = b.input("data", new long[] {6}, 8);
    int n = b.op("negative", Map.of(), new long[] {6}, d);
    int r = b.op("reshape", Map.of("shape", "(2, 3)"), new long[] {2, 3}, n); // last read of n: in place
    int m = b.op("negative", Map.of(), new long[] {2, 3}, r);
    int f = b.op("flatten", Map.of(), new long[] {2, 3}, m); // m is read again below: not in place
    int s = b.op("elemwise_sub", Map.of(), new long[] {2, 3}, m, f);
    int rd = b.op("relu", Map.of(), new long[] {6}, d); // a variable is never written over
    b.head(s).head(rd);
    // n 1; r over n 1; m 2; f takes r's released 1 (m is still live); s in place over m 2; the relu
    // of data may not write over the variable, so it takes f's released 1
    assertEquals(List.of(0, 1, 1, 2, 1, 2, 1), storage(b.build()));
    runsTheSameWithAndWithoutThePlan(b, new int[] {1, -2, 3, -4, 5, -6}, new int[6], new int[] {1, 0, 3, 0, 5, 0});
  }

  @Test
  void aSmallerRequestReusesALargerIdAndALargerOneGrowsASmallerId() {
    CvmGraphBuilder b = new CvmGraphBuilder();
    int d = b.input("data", new long[] {1, 16}, 8);
    int a = b.op("negative", Map.of(), new long[] {1, 16}, d); // 64 bytes, id 1
    int w = b.param("w", new long[] {4, 16}, 8, ones(64));
    int y = b.op("dense", Map.of("units", "4", "use_bias", "False"), new long[] {1, 4}, a, w); // 16 bytes, id 3
    int z = b.op("negative", Map.of(), new long[] {1, 4}, y); // takes a's free 64-byte id 1
    int c = b.op("cvm_clip", Map.of("precision", "8"), new long[] {1, 4}, z); // in place over z
    int w2 = b.param("w2", new long[] {32, 4}, 8, ones(128));
    int v = b.op("dense", Map.of("units", "32", "use_bias", "False"), new long[] {1, 32}, c, w2); // grows y's id 3
    b.head(v);
    CvmModel m = b.build();
    assertEquals(List.of(0, 1, 2, 3, 1, 1, 4, 3), storage(m));
    // pool: data 64 + id1 64 + w 256 + id3 max(16, 128) + w2 512
    assertEquals(new CvmStoragePlan.Summary(8, 5, 64 + 64 + 256 + 128 + 512,
        64 + 64 + 256 + 16 + 16 + 16 + 512 + 128, 256 + 512, 1), CvmStoragePlan.summarize(m));
    int[] x = new int[16];
    x[0] = 3;
    x[5] = -1;
    int[] want = new int[32];
    java.util.Arrays.fill(want, 4 * 2); // y = -(3 - 1) in every unit, z = c = 2, v = 4 x 2
    runsTheSameWithAndWithoutThePlan(b, x, want);
  }

  @Test
  void nonMaxSuppressionWritesIntoAStorageIdOfItsOwn() {
    CvmGraphBuilder b = new CvmGraphBuilder();
    int d = b.input("data", new long[] {2, 4, 6}, 8);
    int a = b.op("repeat", Map.of("repeats", "1"), new long[] {2, 4, 6}, d);
    int g = b.op("get_valid_counts", Map.of("score_threshold", "0"), List.of(new long[] {2}, new long[] {2, 4, 6}),
        List.of(CvmEntryRef.of(a, 0)));
    int n = b.op("non_max_suppression", Map.of("iou_threshold", "50"), List.of(new long[] {2, 4, 6}),
        List.of(CvmEntryRef.of(g, 1), CvmEntryRef.of(g, 0)));
    b.head(n);
    // a's id 1 is free when non_max_suppression runs, but it gets a new id 4: batch 0 has no valid box,
    // so the kernel fills batch 0 with -1 and returns without writing batch 1, which must not show a's
    // values (it stays as the run started: zero)
    assertEquals(List.of(0, 1, 2, 3, 4), storage(b.build()));
    int[] x = new int[48];
    for (int i = 24; i < 48; i += 6) {
      x[i + 1] = 9; // batch 1: four boxes with score 9, batch 0: every score 0 (not above the threshold)
      x[i + 4] = 1 + i;
      x[i + 5] = 1 + i;
    }
    int[] want = new int[48];
    java.util.Arrays.fill(want, 0, 24, -1);
    runsTheSameWithAndWithoutThePlan(b, x, want);
  }

  @Test
  void replanningAModelChangesOnlyItsStorageIds() {
    CvmGraphBuilder b = new CvmGraphBuilder();
    int x = b.input("data", new long[] {4}, 8);
    for (int i = 0; i < 3; i++) {
      x = b.op("negative", Map.of(), new long[] {4}, x);
    }
    CvmModel one = b.head(x).build(CvmStoragePlan.Strategy.ONE_PER_ENTRY);
    CvmModel planned = CvmStoragePlan.replan(one, CvmStoragePlan.Strategy.LIVENESS);
    assertEquals(List.of(0, 1, 2, 1), storage(planned));
    assertEquals(b.build().graph(), planned.graph());
    assertEquals(one.graph(), CvmStoragePlan.replan(planned, CvmStoragePlan.Strategy.ONE_PER_ENTRY).graph());
  }

  private static int[] ones(int n) {
    int[] v = new int[n];
    java.util.Arrays.fill(v, 1);
    return v;
  }
}
