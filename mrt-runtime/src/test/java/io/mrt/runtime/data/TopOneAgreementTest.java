package io.mrt.runtime.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class TopOneAgreementTest {
  @Test
  void countsTheSamplesWhereBothModelsPickTheSameClass() {
    TopOneAgreement a = new TopOneAgreement();
    a.update(new double[] {0.1, 0.7, 0.2}, new double[] {3, 90, 7}); // both 1
    a.update(new double[] {0.5, 0.3, 0.2}, new double[] {10, 80, 10}); // 0 against 1
    a.update(new double[] {0.2, 0.2, 0.6}, new double[] {-5, -9, 4}); // both 2
    a.update(new double[] {-1, -3, -2}, new double[] {0, -1, 0}); // both 0 (the first of the tie 0, 2)
    assertEquals(3, a.agreed());
    assertEquals(4, a.total());
    assertEquals(0.75, a.value());
  }

  @Test
  void aTieGoesToTheFirstClassSoEqualScoresAgree() {
    assertEquals(1, TopOneAgreement.argmax(new double[] {1, 4, 4, 2}));
    TopOneAgreement a = new TopOneAgreement();
    a.update(new double[] {7, 7}, new double[] {7, 6});
    assertEquals(1, a.agreed());
  }

  @Test
  void isZeroBeforeAnySampleAndRejectsScoreVectorsOfDifferentLengths() {
    TopOneAgreement a = new TopOneAgreement();
    assertEquals(0.0, a.value());
    assertEquals("score vectors of 2 and 3 classes", assertThrows(IllegalArgumentException.class,
        () -> a.update(new double[] {1, 2}, new double[] {1, 2, 3})).getMessage());
  }
}
