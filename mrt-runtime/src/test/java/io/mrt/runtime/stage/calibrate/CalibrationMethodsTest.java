package io.mrt.runtime.stage.calibrate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mrt.runtime.MrtException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Each calibration method on small arrays, combined over batches, with hand-computed thresholds. */
class CalibrationMethodsTest {
  private static double run(CalibrationMethod m, double[]... batches) {
    CalibrationMethod.Observer o = m.observer();
    for (double[] b : batches) {
      o.observe(b);
    }
    return o.threshold();
  }

  private static double[] repeat(double v, int n) {
    double[] a = new double[n];
    Arrays.fill(a, v);
    return a;
  }

  private static double[] concat(double[]... parts) {
    return Arrays.stream(parts).flatMapToDouble(Arrays::stream).toArray();
  }

  @Test
  void absMaxIsTheLargestMagnitudeOverAllBatches() {
    // MRT V3 would keep the last batch's 0.5; the combined rule keeps 3
    assertEquals(3.0, run(new AbsMax(), new double[] {-3, 1, 2}, new double[] {0.5, -0.25}));
    assertEquals(0.0, run(new AbsMax()));
  }

  /**
   * 50 values over two batches: 10, -10 and 48 zeros. mean 0, sigma = sqrt(200 / 50) = 2,
   * abs-max 10. lambda 3: alpha = 0 + 3 * 2 = 6 < 0.95 * 10, so th = 6. lambda 5: alpha = 10 >= 9.5,
   * so th = abs-max 10. (MRT V3 on the last batch alone, {-10, 0 x 24}: mean -0.4,
   * sigma = sqrt(96 / 25), alpha = 0.4 + 3 * 1.9596 = 6.279.)
   */
  @Test
  void lambdaRuleIsAppliedToTheUnionOfTheBatches() {
    double[] b1 = concat(new double[] {10}, repeat(0, 24));
    double[] b2 = concat(new double[] {-10}, repeat(0, 24));
    assertEquals(6.0, run(new LambdaOutlier(3), b1, b2), 1e-12);
    assertEquals(10.0, run(new LambdaOutlier(5), b1, b2));
    assertEquals(0.4 + 3 * Math.sqrt(96.0 / 25), run(new LambdaOutlier(3), b2), 1e-12);
  }

  @Test
  void lambdaRuleMergesBatchStatisticsExactly() {
    // one batch {1, 2, 3, 4, 100, -2, 0, 1} versus the same values split 3 + 5
    double[] all = {1, 2, 3, 4, 100, -2, 0, 1};
    double one = run(new LambdaOutlier(1), all);
    double split = run(new LambdaOutlier(1), Arrays.copyOfRange(all, 0, 3), Arrays.copyOfRange(all, 3, 8));
    assertEquals(one, split, 0.0, "the sums are exact, so the split does not change a bit");
    // mean 109 / 8 = 13.625; squared deviations 159.390625 + 135.140625 + 112.890625 + 92.640625
    // + 7460.640625 + 244.140625 + 185.640625 + 159.390625 = 8549.875; sigma = sqrt(8549.875 / 8);
    // alpha = 13.625 + 32.69 = 46.32 < 0.95 * 100
    assertEquals(13.625 + Math.sqrt(8549.875 / 8), one, 1e-9);
  }

  /**
   * 1000 values: 990 at 0.5 and 10 at 10, 10 bins: width 10 / 10 = 1, bin 0 holds 990 and bin 9
   * (10 / 1 = 10, the upper edge, clamped to the last bin) holds 10. The 99th percentile is reached
   * at bin 0 (990 >= 990): its upper edge 1. The 99.5th needs 995: bin 9, edge 10.
   */
  @Test
  void percentileIsTheUpperEdgeOfTheBinReachingTheFraction() {
    double[] values = concat(repeat(0.5, 990), repeat(10, 10));
    assertEquals(1.0, run(new Percentile(99, 10), values));
    assertEquals(10.0, run(new Percentile(99.5, 10), values));
    // the same data in two batches, the larger values second: the histogram grows by merging
    // pairs of bins, never losing counts (width 0.05 -> 0.1 -> ... -> 0.8 -> 1.6; 10 / 1.6 = 6.25)
    assertEquals(1.6, run(new Percentile(99, 10), repeat(0.5, 990), repeat(10, 10)), 1e-12);
  }

  @Test
  void histogramGrowthKeepsEveryCount() {
    AbsHistogram h = new AbsHistogram(4);
    // width 1 / 4: 0.25 -> bin 1, 0.5 -> bin 2, 0.75 -> bin 3, 1 (the upper edge) -> bin 3
    h.add(new double[] {0.25, 0.5, 0.75, 1});
    assertArrayEquals(new long[] {0, 1, 1, 2}, h.counts());
    // 2 > 1: width doubles to 0.5, pairs merge into [0 + 1, 1 + 2, 0, 0]; then 2 / 0.5 = 4 -> bin 3
    h.add(new double[] {-2});
    assertArrayEquals(new long[] {1, 3, 0, 1}, h.counts());
    assertEquals(0.5, h.width());
    assertEquals(5, h.total());
  }

  /**
   * bins 4, target bins 2. Values 0.5 x 6, 1.5 x 2, 2.5, 4: width 1, histogram [6, 2, 1, 1].
   * i = 2: P = [6, 2+1+1] = [.6, .4]; Q = [6, 2] = [.75, .25]; KL = .6 ln .8 + .4 ln 1.6 = 0.05412.
   * i = 3: P = [6, 2, 1+1] = [.6, .2, .2]; Q groups [0,1) and [1,3): [6, 3/2, 3/2] = [2/3, 1/6, 1/6];
   *        KL = .6 ln .9 + .4 ln 1.2 = 0.00971.
   * i = 4: P = [.6, .2, .1, .1]; Q = [8/2, 8/2, 2/2, 2/2] = [.4, .4, .1, .1]; KL = .6 ln 1.5 + .2 ln .5 = 0.10465.
   * The smallest is i = 3: threshold 3 * width = 3.
   */
  @Test
  void klEntropyPicksTheCutWithTheSmallestDivergence() {
    long[] hist = {6, 2, 1, 1};
    assertEquals(0.6 * Math.log(0.8) + 0.4 * Math.log(1.6), KlEntropy.divergence(hist, 2, 2), 1e-12);
    assertEquals(0.6 * Math.log(0.9) + 0.4 * Math.log(1.2), KlEntropy.divergence(hist, 3, 2), 1e-12);
    assertEquals(0.6 * Math.log(1.5) + 0.2 * Math.log(0.5), KlEntropy.divergence(hist, 4, 2), 1e-12);
    assertEquals(3, KlEntropy.bestBin(hist, 2));
    double[] values = concat(repeat(0.5, 6), repeat(1.5, 2), new double[] {2.5, -4});
    assertEquals(3.0, run(new KlEntropy(4, 2), values));
  }

  @Test
  void klSmoothingMovesEpsilonFromNonZeroToZeroBins() {
    // [2, 0, 6]: one zero, two non-zeros: zeros get 1e-4, non-zeros give 1e-4 * 1 / 2 each
    assertArrayEquals(new double[] {2 - 0.5e-4, 1e-4, 6 - 0.5e-4}, KlEntropy.smooth(new double[] {2, 0, 6}), 1e-15);
    assertEquals(null, KlEntropy.smooth(new double[] {0, 0}));
  }

  @Test
  void optionsChooseTheMethodAsMrtDoes() {
    assertEquals("abs_max", CalibrateOptions.of(16, 1).calibrationMethod().name());
    assertEquals("lambda", CalibrateOptions.of(16, 1).withMethod(null, 16.0).calibrationMethod().name());
    assertEquals("kl", CalibrateOptions.of(16, 1).withMethod("KL-Entropy", null).calibrationMethod().name());
    assertEquals("percentile", CalibrateOptions.of(16, 1).withMethod("percentile", null).calibrationMethod().name());
    MrtException e = assertThrows(MrtException.class, () -> CalibrateOptions.of(16, 1).withMethod("median", null));
    assertEquals("CALIBRATE.METHOD must be one of abs_max, lambda, percentile, kl; found 'median'", e.getMessage());
    assertThrows(MrtException.class, () -> CalibrateOptions.of(16, 1).withMethod("lambda", null));
  }
}
