package io.mrt.runtime.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

class ClassificationAccuracyTest {
  @Test
  void countsTopOneAndTopFiveOverBatches() {
    ClassificationAccuracy acc = new ClassificationAccuracy();
    // 7 classes; rows: label first (correct), label 2nd, label 6th (only in top-6), label last
    float[][] scores = {
      {0.9f, 0.1f, 0, 0, 0, 0, 0},
      {0.5f, 0.6f, 0.1f, 0.2f, 0.3f, 0.4f, 0},
      {7, 6, 5, 4, 3, 2, 1},
    };
    acc.update(Nd4j.create(scores), new int[] {0, 0, 5});
    acc.update(new double[] {1, 2, 3, 4, 5, 6, 7}, 0);
    assertEquals(4, acc.total());
    assertEquals(1, acc.correctTop1());
    assertEquals(2, acc.correctTop5());
    assertEquals(0.25, acc.top1());
    assertEquals(0.5, acc.top5());
    assertEquals("top1=25.00% top5=50.00%", acc.toString());
  }

  @Test
  void tiesRankTheLowerClassFirstLikeArgmax() {
    double[] tied = {1, 3, 3, 3, 3, 3, 3};
    assertTrue(TopKAccuracy.inTopK(tied, 1, 1));
    assertFalse(TopKAccuracy.inTopK(tied, 2, 1));
    assertTrue(TopKAccuracy.inTopK(tied, 5, 5));
    assertFalse(TopKAccuracy.inTopK(tied, 6, 5));
    assertFalse(TopKAccuracy.inTopK(tied, 0, 5));
  }

  @Test
  void nanOrOutOfRangeLabelIsNeverCorrect() {
    assertFalse(TopKAccuracy.inTopK(new double[] {Double.NaN, 0}, 0, 1));
    assertFalse(TopKAccuracy.inTopK(new double[] {1, 0}, 2, 5));
    assertTrue(TopKAccuracy.inTopK(new double[] {Double.NaN, 0}, 1, 1));
  }

  @Test
  void integerScoresOfShapeNx10x1x1AreAccepted() {
    TopKAccuracy top1 = new TopKAccuracy(1);
    int[] raw = new int[20];
    raw[3] = 100; // sample 0: argmax 3
    raw[10 + 7] = -1; // sample 1: all 0 but one -1 -> argmax 0
    top1.update(Nd4j.createFromArray(raw).reshape(2, 10, 1, 1).castTo(DataType.INT32), new int[] {3, 0});
    assertEquals(2, top1.correct());
    assertEquals(1.0, top1.value());
  }

  @Test
  void fewerThanFiveClassesMakesTopFiveAlwaysCorrect() {
    ClassificationAccuracy acc = new ClassificationAccuracy();
    acc.update(new double[] {0.1, 0.9}, 0);
    assertEquals("top1=0.00% top5=100.00%", acc.toString());
  }

  @Test
  void batchAndLabelCountMustAgree() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new ClassificationAccuracy().update(Nd4j.zeros(3, 10), new int[] {1, 2}));
    assertEquals("expected scores of shape (2, classes...), found [3, 10]", e.getMessage());
  }
}
