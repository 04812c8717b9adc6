package io.mrt.runtime.stage.calibrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mrt.api.graph.Model;
import io.mrt.runtime.data.BatchIterator;
import io.mrt.runtime.registry.OpTable;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A percentile histogram told how many values will come keeps only the bins near the top
 * ({@link AbsHistogram#upperQuantile}) and gives the full histogram's threshold.
 */
class PercentileTailTest {
  /** Float32 values read in place, as the calibrator passes activations. */
  private static ObservedValues floats(float... v) {
    ByteBuffer b = ByteBuffer.allocateDirect(4 * v.length).order(ByteOrder.nativeOrder());
    b.asFloatBuffer().put(v);
    return new ObservedValues.Floats(b, 0, v.length, null);
  }

  private static float[] relu(SplittableRandom r, int n, double scale) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      double g = r.nextDouble() < 0.5 ? 0 : Math.abs(r.nextGaussian()) * scale;
      v[i] = (float) (r.nextDouble() < 1e-4 ? g * 20 : g);
    }
    return v;
  }

  private static double threshold(CalibrationMethod.Observer o, List<float[]> batches) {
    for (float[] b : batches) {
      o.observe(floats(b));
    }
    return o.threshold();
  }

  @Test
  void theTopBinsAloneGiveTheFullHistogramsPercentileOverBatchesThatGrowTheRange() {
    SplittableRandom r = new SplittableRandom(7);
    // the third batch's abs-max is about 8 times the first's: the width doubles three times
    List<float[]> batches = List.of(relu(r, 50_000, 1), relu(r, 50_000, 1), relu(r, 50_000, 8), relu(r, 50_000, 2));
    for (double p : new double[] {99.99, 99.9, 99, 90}) {
      Percentile method = new Percentile(p, 2048);
      double full = threshold(method.observer(), batches);
      double tail = threshold(method.observer(4 * 50_000L), batches);
      assertEquals(full, tail, "percentile " + p);
    }
    AbsHistogram h = AbsHistogram.upperQuantile(2048, 0.9999, 4 * 50_000L);
    batches.forEach(b -> h.add(floats(b)));
    assertTrue(h.floor() >= 2, "the floor after three doublings: " + h.floor());
    assertEquals(4 * 50_000L, h.below() + java.util.Arrays.stream(h.counts()).sum());
  }

  /**
   * 8 bins over [0, 8): the first batch (ten values, abs-max 8) puts 2 values into bin 7, enough
   * for 2 x 10% of the 10 expected values, so only bin 7 is kept. 100 more values of 0.5 than
   * expected then make the 90th percentile fall below it: the kept bin gives 7.0, an upper bound
   * of the full histogram's 1.0 (bin 0 holds 108 of the 110 values).
   */
  @Test
  void moreValuesThanExpectedGiveAnUpperBoundWhenThePercentileFallsBelowTheKeptBins() {
    float[] first = {0.1f, 0.1f, 0.1f, 0.1f, 0.1f, 0.1f, 0.1f, 0.1f, 8, 8};
    float[] more = new float[100];
    java.util.Arrays.fill(more, 0.5f);
    Percentile method = new Percentile(90, 8);
    assertEquals(1.0, threshold(method.observer(), List.of(first, more)));
    AbsHistogram h = AbsHistogram.upperQuantile(8, 0.9, 10);
    h.add(floats(first));
    assertEquals(7, h.floor());
    assertEquals(8, h.below());
    assertEquals(7.0, threshold(method.observer(10), List.of(first, more)));
    // told of all 110 values, the first batch's 2 values are too few for any floor: every bin is kept
    assertEquals(1.0, threshold(method.observer(110), List.of(first, more)));
  }

  @Test
  void theLowerEdgeOfABinIsTheSmallestFloatWhoseQuotientReachesIt() {
    for (double width : new double[] {1.0 / 3, 0.1, 7.25e-3, Math.PI, 1e-30}) {
      for (int k : new int[] {1, 2, 3, 64, 1024, 2047}) {
        float edge = AbsHistogram.lowerEdge(width, k);
        assertTrue((int) ((double) edge / width) >= k, width + " " + k);
        assertTrue((int) ((double) Math.nextDown(edge) / width) < k, width + " " + k);
      }
    }
  }

  /** Bits of float32 values, as {@link ChunkStats#scanTail} reads them. */
  private static int[] bits(float[] v) {
    int[] b = new int[v.length];
    for (int i = 0; i < v.length; i++) {
      b[i] = Float.floatToRawIntBits(v[i]);
    }
    return b;
  }

  @Test
  void theOnePassScanGivesTheAbsMaxAndTheTailCountsOfTheDefinition() {
    SplittableRandom r = new SplittableRandom(3);
    float[] v = relu(r, 3 * 4096 + 77, 3);
    v[17] = Float.NaN;
    v[18] = -Float.MAX_VALUE;
    v[4095] = -0.0f;
    float edge = AbsHistogram.lowerEdge(0.01, 64);
    long[] expected = new long[2048];
    long expectedKept = 0;
    for (float x : v) {
      float a = Math.abs(x);
      if (a >= edge) {
        expected[Math.min(2047, (int) ((double) a / 0.01))]++;
        expectedKept++;
      }
    }
    long[] counts = new long[2048];
    int[] maxBits = new int[1];
    assertEquals(expectedKept, ChunkStats.scanTail((ObservedValues.Floats) floats(v), edge, 0.01, 2047, counts, maxBits));
    assertEquals(java.util.Arrays.toString(expected), java.util.Arrays.toString(counts));
    assertEquals(Float.floatToRawIntBits(Float.NaN), maxBits[0], "NaN's bits are the largest");
    long[] plain = new long[2048];
    assertEquals(expectedKept, ChunkStats.tailOfBits(bits(v), 0, v.length, edge, 0.01, 2047, plain));
    assertEquals(java.util.Arrays.toString(expected), java.util.Arrays.toString(plain));
  }

  /**
   * Width 0.01, bins from 64 up: 0.64f (0.63999998...) is in bin 63 and 0.65f in bin 64, -7.5 in
   * bin 750, -MAX_VALUE capped into bin 2047; NaN (bin 0) and the zeros are not kept. The values
   * sit among 5,000 zeros, in a vector with no other value.
   */
  @Test
  void theScanKeepsExactlyTheValuesWhoseBinReachesTheFloor() {
    float[] v = new float[5000];
    v[100] = 0.64f;
    v[1000] = 0.65f;
    v[2000] = -7.5f;
    v[3000] = Float.NaN;
    v[4999] = -Float.MAX_VALUE;
    long[] counts = new long[2048];
    int[] maxBits = new int[1];
    assertEquals(3, ChunkStats.scanTail((ObservedValues.Floats) floats(v), AbsHistogram.lowerEdge(0.01, 64), 0.01, 2047,
        counts, maxBits));
    assertEquals(0, counts[63]);
    assertEquals(1, counts[64]);
    assertEquals(1, counts[750]);
    assertEquals(1, counts[2047]);
    assertEquals(3, java.util.Arrays.stream(counts).sum());
  }

  /** The percentile wrapped so that the calibrator's bound on the values is not passed on. */
  private static CalibrationMethod withoutBound(Percentile p) {
    return new CalibrationMethod() {
      @Override
      public String name() {
        return p.name();
      }

      @Override
      public Observer observer() {
        return p.observer();
      }
    };
  }

  @Test
  void everyThresholdOfResNet20OnFourBatchesIsTheFullHistogramsOne() {
    OpTable ops = OpTable.load();
    Model prepared = ResNet20Fixture.prepared(ops);
    List<INDArray> batches = new ArrayList<>();
    BatchIterator it = ResNet20Fixture.testBatches(4, 4);
    while (it.hasNext()) {
      batches.add(it.next().data());
    }
    Percentile p = new Percentile(99.99, 2048);
    Map<String, Double> tail = new Calibrator(ops).run(prepared, batches.iterator(), 4, p);
    Map<String, Double> full = new Calibrator(ops).run(prepared, batches.iterator(), 4, withoutBound(p));
    assertTrue(full.size() > 90, "node outputs and parameters: " + full.size());
    assertEquals(full, tail);
  }
}
