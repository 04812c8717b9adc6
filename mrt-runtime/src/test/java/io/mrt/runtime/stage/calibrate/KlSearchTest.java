package io.mrt.runtime.stage.calibrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mrt.api.graph.Entry;
import io.mrt.api.graph.Model;
import io.mrt.api.graph.Node;
import io.mrt.runtime.data.BatchIterator;
import io.mrt.runtime.exec.fp.FloatExecutor;
import io.mrt.runtime.registry.OpTable;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * KL's threshold search ({@link KlEntropy#bestBin}) chooses the bin the definition chooses: the
 * first candidate with the smallest {@link KlEntropy#divergence}, found here by evaluating every
 * candidate from the target bins to the histogram's length (the oracle). Compared on the 2,048-bin
 * histograms of every node output and parameter of ResNet-20 (the fixture model, prepared) over
 * two batches of 4 CIFAR-10 test images, and on edge cases.
 */
class KlSearchTest {
  private static final int BINS = 2048;
  private static final int TARGET = 128;

  /** The definition: every candidate evaluated, the first smallest divergence kept. */
  private static int oracle(long[] hist, int targetBins) {
    return oracle(divergences(hist, targetBins), targetBins);
  }

  /** The divergence of every candidate i (index i; those below the target bins are unused). */
  private static double[] divergences(long[] hist, int targetBins) {
    double[] kl = new double[hist.length + 1];
    for (int i = targetBins; i <= hist.length; i++) {
      kl[i] = KlEntropy.divergence(hist, i, targetBins);
    }
    return kl;
  }

  private static int oracle(double[] kl, int targetBins) {
    int best = kl.length - 1;
    double bestKl = Double.POSITIVE_INFINITY;
    for (int i = targetBins; i < kl.length; i++) {
      if (kl[i] < bestKl) {
        bestKl = kl[i];
        best = i;
      }
    }
    return best;
  }

  private static void assertSameBin(long[] hist, int targetBins, String what) {
    assertEquals(oracle(hist, targetBins), KlEntropy.bestBin(hist, targetBins), what);
  }

  @Test
  void theSearchChoosesTheDefinitionsBinOnEveryHistogramOfResNet20() {
    OpTable ops = OpTable.load();
    Model prepared = ResNet20Fixture.prepared(ops);
    Map<String, AbsHistogram> histograms = new LinkedHashMap<>();
    for (Node v : prepared.graph().variables()) {
      INDArray p = prepared.params().get(v.name());
      if (p != null) {
        histograms.computeIfAbsent(v.name(), k -> new AbsHistogram(BINS)).add(ObservedValues.of(p));
      }
    }
    FloatExecutor exec = new FloatExecutor(prepared, ops);
    BatchIterator it = ResNet20Fixture.testBatches(4, 2);
    while (it.hasNext()) {
      INDArray x = it.next().data();
      histograms.computeIfAbsent("data", k -> new AbsHistogram(BINS)).add(ObservedValues.of(x));
      exec.run(Map.of(exec.inputs().get(0).name(), x), (node, in, out) -> {
        for (int i = 0; i < node.numOutputs(); i++) {
          histograms.computeIfAbsent(Calibrator.key(new Entry(node, i)), k -> new AbsHistogram(BINS))
              .add(ObservedValues.of(out.get(i)));
        }
      });
    }
    assertTrue(histograms.size() > 90, "node outputs and parameters: " + histograms.size());
    int searched = 0;
    int evaluated = 0;
    for (Map.Entry<String, AbsHistogram> e : histograms.entrySet()) {
      if (e.getValue().width() == 0) {
        continue;
      }
      long[] hist = e.getValue().counts();
      double[] kl = divergences(hist, TARGET);
      KlEntropy.Search search = new KlEntropy.Search(hist, TARGET);
      assertEquals(oracle(kl, TARGET), search.best(), e.getKey());
      // one candidate's lower bound is below every other's upper bound: nothing to evaluate, but
      // where the ratio e/p is too large for the series (a single non-zero bin, say)
      assertTrue(search.evaluated <= 1, e.getKey() + ": the definition ran for " + search.evaluated + " candidates");
      evaluated += search.evaluated;
      for (int i = TARGET; i <= hist.length; i++) {
        double[] estimate = search.estimate(i);
        if (estimate[1] == 0) {
          assertEquals(kl[i], estimate[0], e.getKey() + ", " + i + " bins, evaluated");
          continue;
        }
        assertTrue(Math.abs(estimate[0] - kl[i]) <= estimate[1],
            e.getKey() + ", " + i + " bins: estimate " + estimate[0] + ", definition " + kl[i] + ", bound " + estimate[1]);
        assertTrue(estimate[1] < 3e-12, e.getKey() + ", " + i + " bins: bound " + estimate[1]);
      }
      searched++;
    }
    assertTrue(searched > 90, "histograms searched: " + searched);
    assertTrue(evaluated <= 2, "the definition ran for " + evaluated + " candidates in all");
  }

  @Test
  void allZeroBinsHaveNoFiniteDivergenceAndKeepEveryBin() {
    long[] hist = new long[BINS];
    assertEquals(BINS, KlEntropy.bestBin(hist, TARGET));
    assertSameBin(hist, TARGET, "all zero");
  }

  @Test
  void oneNonZeroBinAnywhereChoosesTheDefinitionsBin() {
    for (int k : new int[] {0, 1, 127, 128, 129, 1000, 2046, 2047}) {
      long[] hist = new long[BINS];
      hist[k] = 12345;
      assertSameBin(hist, TARGET, "one non-zero bin at " + k);
    }
    long[] hist = new long[BINS];
    hist[0] = 1;
    assertSameBin(hist, TARGET, "a single value");
  }

  @Test
  void tiesGoToTheFirstCandidate() {
    // equal counts everywhere: many candidates' divergences are equal or nearly so
    long[] flat = new long[BINS];
    Arrays.fill(flat, 7);
    assertSameBin(flat, TARGET, "flat");
    // a flat histogram of 8 bins searched for 2 target bins: every cut keeps identical P and Q up to scale
    long[] small = {5, 5, 5, 5, 5, 5, 5, 5};
    assertSameBin(small, 2, "flat, 8 bins, 2 target bins");
    long[] periodic = new long[BINS];
    for (int k = 0; k < BINS; k++) {
      periodic[k] = k % 2 == 0 ? 4 : 0;
    }
    assertSameBin(periodic, TARGET, "every other bin empty");
  }

  @Test
  void sparseAndHeavyTailedHistogramsChooseTheDefinitionsBin() {
    SplittableRandom random = new SplittableRandom(11);
    for (int trial = 0; trial < 12; trial++) {
      long[] hist = new long[BINS];
      double scale = 20 + 200 * trial;
      int values = 1000 << (trial % 6);
      for (int v = 0; v < values; v++) {
        // |x| of a Laplace-like variable: most mass near zero, a long sparse tail
        int k = (int) Math.min(BINS - 1, -scale * Math.log(1 - random.nextDouble()));
        hist[k]++;
      }
      assertSameBin(hist, TARGET, "trial " + trial);
      assertSameBin(hist, 8, "trial " + trial + ", 8 target bins");
    }
  }

  @Test
  void everyTargetBinCountFromOneToTheBinsIsSearchedAsDefined() {
    long[] hist = {0, 9, 3, 0, 0, 1, 4, 0, 2, 0, 0, 0, 1, 0, 0, 5};
    for (int target = 1; target <= hist.length; target++) {
      assertSameBin(hist, target, "target " + target);
    }
    List<long[]> tiny = List.of(new long[] {1, 0}, new long[] {0, 1}, new long[] {3, 3}, new long[] {0, 0, 2});
    for (long[] h : tiny) {
      for (int target = 1; target <= h.length; target++) {
        assertSameBin(h, target, Arrays.toString(h) + ", target " + target);
      }
    }
  }

  @Test
  void nearTiesOfHugeCountsWithEmptyTailsGoToTheFirstCandidate() {
    // counts near 1e9 in the first 150 bins and empty bins after: the candidates beyond 150 keep
    // the same P and Q but for more smoothed empty bins, so their divergences differ by about
    // eps / total ~ 1e-16, far inside the bound: the search must fall back on the definition
    SplittableRandom random = new SplittableRandom(5);
    for (int trial = 0; trial < 3; trial++) {
      long[] hist = new long[400];
      for (int k = 0; k < 150; k++) {
        hist[k] = 1_000_000_000L + random.nextInt(1_000_000);
      }
      double[] kl = divergences(hist, TARGET);
      int best = oracle(kl, TARGET);
      int near = 0;
      for (int i = TARGET; i <= hist.length; i++) {
        if (i != best && kl[i] - kl[best] < 1e-12) {
          near++;
        }
      }
      assertTrue(near > 0, "trial " + trial + ": candidates within 1e-12 of the best: " + near);
      assertEquals(best, KlEntropy.bestBin(hist, TARGET), "trial " + trial);
    }
  }

  @Test
  void sparseHistogramsOfFewNonZeroBinsChooseTheDefinitionsBin() {
    SplittableRandom random = new SplittableRandom(17);
    for (int trial = 0; trial < 24; trial++) {
      int bins = trial % 2 == 0 ? 512 : 300;
      long[] hist = new long[bins];
      int nonZero = 2 + random.nextInt(40);
      for (int v = 0; v < nonZero; v++) {
        hist[random.nextInt(bins)] += trial % 3 == 0 ? 1 : 1 + random.nextLong(trial % 3 == 1 ? 1000 : 1_000_000_000L);
      }
      assertSameBin(hist, TARGET, "trial " + trial + ", " + nonZero + " non-zero bins");
      assertSameBin(hist, 16, "trial " + trial + ", 16 target bins");
    }
  }

  @Test
  void hugeCountsChooseTheDefinitionsBin() {
    SplittableRandom random = new SplittableRandom(23);
    long[] hist = new long[640];
    for (int k = 0; k < hist.length; k++) {
      // about 1e9 per bin near zero, falling off with a long tail
      hist[k] = (long) (1e9 * Math.exp(-k / 60.0) * (0.5 + random.nextDouble()));
    }
    assertSameBin(hist, TARGET, "about 1e9 per bin");
    long[] beyondExact = new long[200];
    for (int k = 0; k < 20; k++) {
      // a total above 2^52: the definition's double sums are no longer exact, every candidate is evaluated
      beyondExact[k] = (1L << 48) + random.nextLong(1L << 40);
    }
    beyondExact[150] = 3;
    assertTrue(Arrays.stream(beyondExact).sum() > 1L << 52);
    assertSameBin(beyondExact, 16, "total above 2^52");
  }

  @Test
  void everyTargetBinCountOfARandomHistogramIsSearchedAsDefined() {
    SplittableRandom random = new SplittableRandom(29);
    long[] hist = new long[160];
    for (int k = 0; k < hist.length; k++) {
      hist[k] = random.nextInt(4) == 0 ? 0 : 1 + (long) (5000 * Math.exp(-k / 20.0) * random.nextDouble());
    }
    for (int target = 1; target <= hist.length; target++) {
      assertSameBin(hist, target, "target " + target);
    }
  }
}
