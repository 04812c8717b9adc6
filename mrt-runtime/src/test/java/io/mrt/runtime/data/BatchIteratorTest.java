package io.mrt.runtime.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;

class BatchIteratorTest {
  /** Ten 1x1x1 images: image i has pixel i and label 9 - i. */
  private static final ImageSet TEN = ImageSet.of("ten", 1, 1, 1,
      TestFiles.bytes(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), new int[] {9, 8, 7, 6, 5, 4, 3, 2, 1, 0});
  private static final Preprocessing IDENTITY =
      new Preprocessing(1, new double[] {0}, new double[] {1}, Layout.NCHW, new long[] {-1, 1, 1, 1});

  @Test
  void walksTheDatasetInOrderWithASmallerLastBatch() {
    BatchIterator it = BatchIterator.all(TEN, IDENTITY, 4);
    assertEquals(3, it.numBatches());
    assertEquals(10, it.numSamples());
    Batch b0 = it.next();
    assertArrayEquals(new long[] {4, 1, 1, 1}, b0.data().shape());
    assertArrayEquals(new float[] {0, 1, 2, 3}, b0.data().reshape(4).toFloatVector());
    assertArrayEquals(new int[] {9, 8, 7, 6}, b0.labels());
    assertEquals(0, b0.offset());
    Batch b1 = it.next();
    assertEquals(4, b1.offset());
    assertArrayEquals(new float[] {4, 5, 6, 7}, b1.data().reshape(4).toFloatVector());
    Batch b2 = it.next();
    assertEquals(2, b2.size());
    assertArrayEquals(new long[] {2, 1, 1, 1}, b2.data().shape());
    assertArrayEquals(new float[] {8, 9}, b2.data().reshape(2).toFloatVector());
    assertArrayEquals(new int[] {1, 0}, b2.labels());
    assertFalse(it.hasNext());
    assertThrows(NoSuchElementException.class, it::next);
  }

  @Test
  void stopsAfterTheRequestedNumberOfBatches() {
    BatchIterator it = BatchIterator.of(TEN, IDENTITY, 3, 2);
    assertEquals(2, it.numBatches());
    assertEquals(6, it.numSamples());
    it.next();
    assertArrayEquals(new int[] {6, 5, 4}, it.next().labels());
    assertFalse(it.hasNext());
  }

  @Test
  void moreBatchesThanTheDatasetHoldsStopsAtTheEnd() {
    BatchIterator it = BatchIterator.of(TEN, IDENTITY, 5, 500);
    assertEquals(2, it.numBatches());
    assertEquals(10, it.numSamples());
  }

  @Test
  void zeroBatchesProducesNothing() {
    assertFalse(BatchIterator.of(TEN, IDENTITY, 5, 0).hasNext());
  }

  @Test
  void realMnistFirstBatchIsPixelsOver255() {
    ImageSet set = Datasets.load("mnist", TestFiles.shared().resolve("data/mnist"), Split.TEST,
        Preprocessing.divideBy255(-1, 1, 28, 28));
    BatchIterator it = BatchIterator.of(set, Preprocessing.divideBy255(-1, 1, 28, 28), 16, 25);
    assertEquals(25, it.numBatches());
    Batch b = it.next();
    assertArrayEquals(new long[] {16, 1, 28, 28}, b.data().shape());
    assertArrayEquals(new int[] {7, 2, 1, 0, 4, 1, 4, 9, 5, 9, 0, 6, 9, 0, 1, 5}, b.labels());
    // image 0, row 7, column 7 holds 185: 185 * (float) (1/255.0) in float32
    assertEquals(185 * (float) (1 / 255.0), b.data().getFloat(0, 0, 7, 7), 0f);
    assertEquals(0.7254902f, b.data().getFloat(0, 0, 7, 7), 0f);
  }
}
