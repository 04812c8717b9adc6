package io.mrt.runtime.stage.calibrate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Observing an array in place (read from its native buffer in chunks) sees exactly the values of
 * its C-order float64 copy (in storage order), so every method's threshold is bit for bit the one
 * of that copy.
 */
class ObservedValuesTest {
  private static final List<CalibrationMethod> METHODS = List.of(new AbsMax(), new LambdaOutlier(3),
      new Percentile(99.99, 2048), new KlEntropy(2048, 128));

  /** 2 x 3 x 50 x 70 = 21,000 values (more than 5 chunks), normal with a few outliers. */
  private static INDArray sample(long seed, char order) {
    Random r = new Random(seed);
    float[] v = new float[2 * 3 * 50 * 70];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) (r.nextGaussian() * (i % 997 == 0 ? 40 : 1));
    }
    INDArray c = Nd4j.create(v, new long[] {2, 3, 50, 70}, DataType.FLOAT);
    return order == 'c' ? c : c.dup('f');
  }

  private static double[] copy(INDArray a) {
    return a.dup('c').castTo(DataType.DOUBLE).data().asDouble();
  }

  private static void assertSameThresholds(INDArray... batches) {
    for (CalibrationMethod m : METHODS) {
      CalibrationMethod.Observer inPlace = m.observer();
      CalibrationMethod.Observer copied = m.observer();
      for (INDArray b : batches) {
        inPlace.observe(ObservedValues.of(b));
        copied.observe(copy(b));
      }
      assertEquals(copied.threshold(), inPlace.threshold(), 0.0, m.name());
    }
  }

  @Test
  void aCContiguousFloatArrayIsReadInPlaceInCOrder() {
    INDArray a = sample(1, 'c');
    ObservedValues v = ObservedValues.of(a);
    assertEquals(21_000, v.size());
    double[] all = new double[21_000];
    double[] chunk = Scratch.get().doubles;
    for (int from = 0; from < all.length; from += ObservedValues.CHUNK) {
      int n = Math.min(ObservedValues.CHUNK, all.length - from);
      v.read(from, chunk, n);
      System.arraycopy(chunk, 0, all, from, n);
    }
    assertArrayEquals(copy(a), all, 0.0);
    // in place: a later write to the array shows through the values already taken
    a.putScalar(0, 1234.5f);
    v.read(0, chunk, 1);
    assertEquals(1234.5, chunk[0]);
  }

  @Test
  void everyMethodGivesTheThresholdOfTheDoubleCopyOverSeveralBatches() {
    assertSameThresholds(sample(2, 'c'), sample(3, 'c').muli(3), sample(4, 'c').muli(0.5));
  }

  @Test
  void stridedViewsAndFloat64ArraysAreCopiedAndReadInCOrder() {
    INDArray view = sample(6, 'c').get(NDArrayIndex.point(1), NDArrayIndex.interval(1, 3), NDArrayIndex.all(),
        NDArrayIndex.interval(10, 60));
    INDArray doubles = sample(7, 'c').castTo(DataType.DOUBLE).muli(1.0 / 3);
    assertArrayEquals(copy(view), values(ObservedValues.of(view)), 0.0);
    assertArrayEquals(copy(doubles), values(ObservedValues.of(doubles)), 0.0);
    assertSameThresholds(view, doubles);
  }

  /**
   * An F-order array, an NCHW-shaped view of an NHWC buffer (what the float executor passes
   * between convolutions) and a dense slice at an offset are read in place in storage order: the
   * same values as the C-order copy in another order, and every method's threshold bit for bit the
   * copy's.
   */
  @Test
  void arraysFillingARangeOfTheirBufferAreReadInPlaceInStorageOrder() {
    INDArray f = sample(5, 'f');
    INDArray nhwc = sample(8, 'c').reshape('c', 2, 50, 70, 3).permute(0, 3, 1, 2);
    assertArrayEquals(new long[] {2, 3, 50, 70}, nhwc.shape());
    INDArray slice = sample(9, 'c').get(NDArrayIndex.point(1), NDArrayIndex.all(), NDArrayIndex.all(),
        NDArrayIndex.all());
    assertTrue(slice.offset() > 0, "the slice starts inside its buffer");
    for (INDArray a : List.of(f, nhwc, slice)) {
      assertTrue(ObservedValues.dense(a), java.util.Arrays.toString(a.stride()));
      double[] inPlace = values(ObservedValues.of(a));
      double[] expected = copy(a);
      assertEquals(a == slice, java.util.Arrays.equals(expected, inPlace),
          "the storage order is C order for the slice only, strides " + java.util.Arrays.toString(a.stride()));
      java.util.Arrays.sort(inPlace);
      java.util.Arrays.sort(expected);
      assertArrayEquals(expected, inPlace, 0.0);
    }
    // in place: a write to the buffer shows through
    ObservedValues v = ObservedValues.of(nhwc);
    nhwc.putScalar(new long[] {0, 1, 0, 0}, 4321.5f);
    double[] chunk = Scratch.get().doubles;
    v.read(0, chunk, 2);
    assertEquals(4321.5, chunk[1]);
    assertSameThresholds(f, nhwc, slice);
  }

  @Test
  void aViewSkippingElementsIsNotDense() {
    INDArray every2nd = sample(10, 'c').get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all(),
        NDArrayIndex.interval(0, 2, 70));
    assertFalse(ObservedValues.dense(every2nd));
    assertFalse(ObservedValues.dense(sample(11, 'c').get(NDArrayIndex.all(), NDArrayIndex.interval(0, 2),
        NDArrayIndex.all(), NDArrayIndex.all())));
    assertTrue(ObservedValues.dense(sample(12, 'c')));
  }

  /**
   * Float32 arrays are binned from float32 chunks: on and next to every bin edge ({@code k * width}
   * rounded to float32, and the floats just below and above it), every count is the one of the
   * float64 copy's.
   */
  @Test
  void float32ValuesOnAndNextToEveryBinEdgeFallInTheBinsOfTheDivision() {
    int bins = 2048;
    for (double max : new double[] {1.0, 3.7, 1e-3, 12345.678}) {
      double width = (double) (float) max / bins;
      float[] v = new float[3 * (bins + 1) + 2];
      int j = 0;
      for (int k = 0; k <= bins; k++) {
        float edge = (float) (k * width);
        v[j++] = Math.nextDown(edge);
        v[j++] = edge;
        v[j++] = Math.min((float) max, Math.nextUp(edge));
      }
      v[j++] = (float) max;
      v[j] = -(float) max;
      INDArray a = Nd4j.create(v, new long[] {v.length}, DataType.FLOAT);
      AbsHistogram inPlace = new AbsHistogram(bins);
      inPlace.add(ObservedValues.of(a));
      AbsHistogram divided = new AbsHistogram(bins);
      divided.add(copy(a));
      assertEquals(divided.width(), inPlace.width(), 0.0);
      assertArrayEquals(divided.counts(), inPlace.counts(), "max " + max);
    }
  }

  @Test
  void emptyAndAllZeroArraysGiveZero() {
    for (CalibrationMethod m : METHODS) {
      CalibrationMethod.Observer o = m.observer();
      o.observe(ObservedValues.of(Nd4j.zeros(DataType.FLOAT, 4, 5)));
      o.observe(ObservedValues.of(Nd4j.create(DataType.FLOAT, 0)));
      assertEquals(0.0, o.threshold(), m.name());
    }
  }

  private static double[] values(ObservedValues v) {
    double[] out = new double[v.size()];
    double[] chunk = Scratch.get().doubles;
    for (int from = 0; from < out.length; from += ObservedValues.CHUNK) {
      int n = Math.min(ObservedValues.CHUNK, out.length - from);
      v.read(from, chunk, n);
      System.arraycopy(chunk, 0, out, from, n);
    }
    return out;
  }
}
