package io.mrt.runtime.stage.calibrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The sums behind lambda's mean and variance are exact, so their order does not matter: values
 * whose float64 running sum depends on the order give one mean and one variance in every order.
 */
class ExactMomentsTest {
  private static ExactMoments of(double... values) {
    ExactMoments m = new ExactMoments();
    for (int from = 0; from < values.length; from += ObservedValues.CHUNK) {
      int n = Math.min(ObservedValues.CHUNK, values.length - from);
      double[] chunk = new double[n];
      System.arraycopy(values, from, chunk, 0, n);
      m.add(chunk, n);
    }
    return m;
  }

  /** Equal as numbers (BigDecimal's equals also compares the scale). */
  private static void assertSameNumber(BigDecimal expected, BigDecimal actual) {
    assertEquals(0, expected.compareTo(actual), expected + " != " + actual);
  }

  @Test
  void sumsAreExactWhereAFloat64RunningSumLosesTheSmallValues() {
    // in float64, 1e20 + 1 - 1e20 is 0; the exact sum is 1
    double big = (float) 1e20;
    ExactMoments m = of(big, 1, -big, 0.5f, Float.MIN_VALUE);
    assertEquals(5, m.count());
    assertSameNumber(new BigDecimal(1.5).add(new BigDecimal(Float.MIN_VALUE)), m.sum());
    assertSameNumber(new BigDecimal(big).multiply(new BigDecimal(big)).multiply(BigDecimal.valueOf(2))
        .add(new BigDecimal(1.25)).add(new BigDecimal(Float.MIN_VALUE).pow(2)), m.sumOfSquares());
    assertEquals(1.5 / 5, m.mean(), 1e-17);
  }

  @Test
  void meanAndVarianceOfSmallIntegersAreTheTextbookValues() {
    // {1, 2, 3, 4, 100, -2, 0, 1}: mean 109 / 8, variance (8 * 10035 - 109^2) / 64 = 8549.875 / 8
    ExactMoments m = of(1, 2, 3, 4, 100, -2, 0, 1);
    assertEquals(13.625, m.mean());
    assertEquals(8549.875 / 8, m.variance());
  }

  @Test
  void everyOrderAndEverySplitGivesTheSameBits() {
    Random r = new Random(3);
    List<Double> values = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      values.add((double) (float) (r.nextGaussian() * Math.pow(10, r.nextInt(12) - 6)));
    }
    double[] a = values.stream().mapToDouble(Double::doubleValue).toArray();
    ExactMoments m = of(a);
    double running = 0;
    for (double v : a) {
      running += v;
    }
    Collections.shuffle(values, r);
    double[] b = values.stream().mapToDouble(Double::doubleValue).toArray();
    double runningShuffled = 0;
    for (double v : b) {
      runningShuffled += v;
    }
    assertNotEquals(running, runningShuffled, "the float64 running sum depends on the order");
    ExactMoments shuffled = of(b);
    assertSameNumber(m.sum(), shuffled.sum());
    assertEquals(Double.doubleToLongBits(m.mean()), Double.doubleToLongBits(shuffled.mean()));
    assertEquals(Double.doubleToLongBits(m.variance()), Double.doubleToLongBits(shuffled.variance()));
  }

  @Test
  void theFloat32BitsPathAddsWhatTheValuesPathAdds() {
    float[] v = {0, -0f, 1, -1, 3.5f, -1e-40f, Float.MIN_VALUE, -Float.MAX_VALUE, 1e30f, 7e-12f, -2.25f};
    double[] widened = new double[v.length];
    int[] bits = new int[v.length];
    for (int i = 0; i < v.length; i++) {
      widened[i] = v[i];
      bits[i] = Float.floatToRawIntBits(v[i]);
    }
    ExactMoments fromBits = new ExactMoments();
    fromBits.addBits(bits, bits.length);
    ExactMoments fromValues = of(widened);
    assertEquals(fromValues.count(), fromBits.count());
    assertSameNumber(fromValues.sum(), fromBits.sum());
    assertSameNumber(fromValues.sumOfSquares(), fromBits.sumOfSquares());
    ExactMoments infinite = new ExactMoments();
    infinite.addBits(new int[] {Float.floatToRawIntBits(2), Float.floatToRawIntBits(Float.NEGATIVE_INFINITY)}, 2);
    assertFalse(infinite.finite());
    assertSameNumber(new BigDecimal(2), infinite.sum());
  }

  @Test
  void float64ValuesThatAreNotFloat32AreAddedExactlyToo() {
    ExactMoments m = of(0.1, 0.2, -0.3);
    assertSameNumber(new BigDecimal(0.1).add(new BigDecimal(0.2)).add(new BigDecimal(-0.3)), m.sum());
  }

  @Test
  void anInfinityOrNaNMakesTheMomentsUndefined() {
    assertFalse(of(1, Double.POSITIVE_INFINITY).finite());
    assertFalse(of(Double.NaN, 2).finite());
    assertEquals(Double.NaN, of(1, Double.NaN).mean());
    assertEquals(Double.NaN, new ExactMoments().variance());
  }
}
