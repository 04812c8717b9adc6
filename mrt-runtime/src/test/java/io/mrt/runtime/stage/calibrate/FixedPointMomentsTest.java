package io.mrt.runtime.stage.calibrate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mrt.runtime.VectorApi;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Lambda's sums: each batch's values rounded on the grid of its abs-max (2^(49 - e) for values,
 * 2^(48 - 2e) for squares, e the exponent of abs-max, ties to even) and added exactly, so the
 * order and the path (float32 array read in place, float64 values, vector or plain kernel) never
 * change a bit.
 */
class FixedPointMomentsTest {
  /** One batch of float64 values. */
  private static FixedPointMoments of(double... values) {
    FixedPointMoments m = new FixedPointMoments();
    add(m, ObservedValues.of(values));
    return m;
  }

  /** One batch of float32 values, read in place from an ND4J array. */
  private static FixedPointMoments ofFloats(float... values) {
    FixedPointMoments m = new FixedPointMoments();
    add(m, ObservedValues.of(Nd4j.createFromArray(values)));
    return m;
  }

  private static void add(FixedPointMoments m, ObservedValues v) {
    m.add(v, AbsMax.absMax(v));
  }

  /** Equal as numbers (BigDecimal's equals also compares the scale). */
  private static void assertSameNumber(BigDecimal expected, BigDecimal actual) {
    assertEquals(0, expected.compareTo(actual), expected + " != " + actual);
  }

  @Test
  void meanAndVarianceOfSmallIntegersAreTheTextbookValues() {
    // {1, 2, 3, 4, 100, -2, 0, 1}: every value and square lies on the grid; mean 109 / 8,
    // variance (8 * 10035 - 109^2) / 64 = 8549.875 / 8
    for (FixedPointMoments m : List.of(of(1, 2, 3, 4, 100, -2, 0, 1), ofFloats(1, 2, 3, 4, 100, -2, 0, 1))) {
      assertEquals(8, m.count());
      assertSameNumber(new BigDecimal(109), m.sum());
      assertSameNumber(new BigDecimal(10035), m.sumOfSquares());
      assertEquals(13.625, m.mean());
      assertEquals(8549.875 / 8, m.variance());
    }
  }

  /**
   * abs-max 1 (e = 0): values on the grid 2^-49, squares on 2^-48. 2^-50 is half a unit: it rounds
   * to 0 (ties to even); 3 * 2^-50 is 1.5 units: 2. Squares: 1, 2^-100 and 9 * 2^-100 round to 0.
   */
  @Test
  void eachValueIsRoundedToTheNearestStepOfItsBatchGridTiesToEven() {
    float half = (float) Math.scalb(1.0, -50);
    float oneAndHalf = (float) Math.scalb(3.0, -50);
    for (FixedPointMoments m : List.of(of(1, half, oneAndHalf), ofFloats(1, half, oneAndHalf), ofFloats(1, -half, -oneAndHalf))) {
      assertEquals(3, m.count());
      assertSameNumber(BigDecimal.ONE, m.sumOfSquares());
    }
    assertSameNumber(BigDecimal.ONE.add(FixedPointMoments.powerOfTwo(-48)), of(1, half, oneAndHalf).sum());
    assertSameNumber(BigDecimal.ONE.add(FixedPointMoments.powerOfTwo(-48)), ofFloats(1, half, oneAndHalf).sum());
    assertSameNumber(BigDecimal.ONE.subtract(FixedPointMoments.powerOfTwo(-48)), ofFloats(1, -half, -oneAndHalf).sum());
  }

  @Test
  void theFloat32PathAddsWhatTheFloat64PathAddsOnEdgeValues() {
    float[][] batches = {
        {0, -0f, 1, -1, 3.5f, -1e-40f, Float.MIN_VALUE, -Float.MAX_VALUE, 1e30f, 7e-12f, -2.25f},
        {Float.MIN_VALUE, -Float.MIN_VALUE, 3 * Float.MIN_VALUE, Float.MIN_NORMAL},
        {1e-30f, -3e-31f, 5e-38f, 1.5e-45f},
    };
    for (float[] v : batches) {
      double[] widened = new double[v.length];
      for (int i = 0; i < v.length; i++) {
        widened[i] = v[i];
      }
      FixedPointMoments floats = ofFloats(v);
      FixedPointMoments doubles = of(widened);
      assertEquals(doubles.count(), floats.count());
      assertSameNumber(doubles.sum(), floats.sum());
      assertSameNumber(doubles.sumOfSquares(), floats.sumOfSquares());
      assertEquals(Double.doubleToLongBits(doubles.variance()), Double.doubleToLongBits(floats.variance()));
    }
    // subnormals alone: abs-max 2^-148 (e = -148), grid 2^-197, every value exact
    assertSameNumber(new BigDecimal(Float.MIN_VALUE).multiply(BigDecimal.valueOf(3)),
        ofFloats(Float.MIN_VALUE, -Float.MIN_VALUE, 3 * Float.MIN_VALUE).sum());
  }

  @Test
  void everyOrderAndEveryLayoutGivesTheSameBits() {
    Random r = new Random(3);
    List<Float> values = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      values.add((float) (r.nextGaussian() * Math.pow(10, r.nextInt(12) - 6)));
    }
    float[] a = new float[values.size()];
    double running = 0;
    for (int i = 0; i < a.length; i++) {
      a[i] = values.get(i);
      running += a[i];
    }
    Collections.shuffle(values, r);
    float[] b = new float[values.size()];
    double runningShuffled = 0;
    for (int i = 0; i < b.length; i++) {
      b[i] = values.get(i);
      runningShuffled += b[i];
    }
    assertNotEquals(running, runningShuffled, "the float64 running sum depends on the order");
    FixedPointMoments m = ofFloats(a);
    FixedPointMoments shuffled = ofFloats(b);
    // the same values as a 100 x 200 array read through its transposed (F-order) view
    FixedPointMoments transposed = new FixedPointMoments();
    add(transposed, ObservedValues.of(Nd4j.createFromArray(b).reshape(100, 200).transpose()));
    double[] widened = new double[b.length];
    for (int i = 0; i < b.length; i++) {
      widened[i] = b[i];
    }
    for (FixedPointMoments other : List.of(shuffled, transposed, of(widened))) {
      assertSameNumber(m.sum(), other.sum());
      assertSameNumber(m.sumOfSquares(), other.sumOfSquares());
      assertEquals(Double.doubleToLongBits(m.mean()), Double.doubleToLongBits(other.mean()));
      assertEquals(Double.doubleToLongBits(m.variance()), Double.doubleToLongBits(other.variance()));
    }
  }

  @Test
  void theVectorKernelAddsWhatThePlainLoopAdds() {
    assertTrue(VectorApi.AVAILABLE, "run with --add-modules jdk.incubator.vector");
    Random r = new Random(5);
    for (int size : new int[] {2 * ObservedValues.CHUNK + 3, ObservedValues.CHUNK, 11, 5}) {
      float[] v = new float[size];
      for (int i = 0; i < v.length; i++) {
        v[i] = (float) (r.nextGaussian() * 3);
      }
      v[0] = -8;
      v[size - 1] = Float.MIN_VALUE;
      v[size / 2] = (float) Math.scalb(1.0, -47);
      // abs-max in [8, 16): e = 3, scales 2^46 and 2^42
      long[] plain = new long[4];
      for (int from = 0; from < size; from += ObservedValues.CHUNK) {
        int n = Math.min(ObservedValues.CHUNK, size - from);
        long[] sums = new long[2];
        ChunkStats.fixedPointSums(java.util.Arrays.copyOfRange(v, from, from + n), 0, n, 0x1p46, 0x1p42, sums);
        ChunkStats.add128(plain, 0, sums[0]);
        ChunkStats.add128(plain, 2, sums[1]);
      }
      long[] vector = new long[4];
      ChunkStats.fixedPointSums((ObservedValues.Floats) ObservedValues.of(Nd4j.createFromArray(v)), 0x1p46, 0x1p42, vector);
      assertArrayEquals(plain, vector, "size " + size);
      if (size <= ObservedValues.CHUNK) {
        long[] chunk = {-1, -1};
        VectorStats.fixedPointSums(v, size, 0x1p46, 0x1p42, chunk);
        assertArrayEquals(new long[] {plain[1], plain[3]}, chunk, "size " + size);
      }
    }
    long[] two = new long[2];
    ChunkStats.fixedPointSums(new float[] {1.5f, -0.25f}, 0, 2, 0x1p4, 0x1p2, two);
    // 24 - 4 = 20; 2.25 * 4 + 0.0625 * 4 = 9 + 0.25, which rounds to 9
    assertEquals(20, two[0]);
    assertEquals(9, two[1]);
    // 128-bit sums: 2^62 four times carries into the high word; -1 borrows back
    long[] wide = new long[2];
    for (int k = 0; k < 4; k++) {
      ChunkStats.add128(wide, 0, 1L << 62);
    }
    assertArrayEquals(new long[] {1, 0}, wide);
    ChunkStats.add128(wide, 0, -1);
    assertArrayEquals(new long[] {0, -1}, wide);
  }

  @Test
  void anInfinityOrNaNMakesTheMomentsUndefined() {
    FixedPointMoments m = new FixedPointMoments();
    m.add(ObservedValues.of(new double[] {1, Double.POSITIVE_INFINITY}), Double.POSITIVE_INFINITY);
    assertFalse(m.finite());
    assertEquals(2, m.count());
    FixedPointMoments nan = new FixedPointMoments();
    nan.add(ObservedValues.of(Nd4j.createFromArray(1f, Float.NaN)), Double.NaN);
    assertFalse(nan.finite());
    assertEquals(Double.NaN, nan.mean());
    assertEquals(Double.NaN, new FixedPointMoments().variance());
  }

  @Test
  void aVarianceTheGridsMakeNegativeIsZero() {
    // the float64 0.7 three times (not a float32: its square is rounded in float64 first): its grid
    // steps give n * sum(x^2) - sum(x)^2 < 0 by a rounding residue, where the variance is 0
    FixedPointMoments m = of(0.7, 0.7, 0.7);
    BigDecimal n = BigDecimal.valueOf(3);
    assertEquals(-1, n.multiply(m.sumOfSquares()).subtract(m.sum().multiply(m.sum())).signum());
    assertEquals(0.0, m.variance());
    // float32 values equal to abs-max lie on both grids: the variance is exactly 0
    assertEquals(0.0, ofFloats(0.1f, 0.1f, 0.1f).variance());
  }
}
