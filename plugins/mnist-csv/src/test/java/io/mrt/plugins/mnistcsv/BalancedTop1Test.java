package io.mrt.plugins.mnistcsv;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class BalancedTop1Test {
  @Test
  void averagesTheTop1OfEachLabelSoEveryClassWeighsTheSame() {
    BalancedTop1 m = new BalancedTop1();
    // class 0: 3 images, 2 right; class 2: 1 image, right; class 1: never a label
    m.update(new double[] {0.9, 0.1, 0.0}, 0);
    m.update(new double[] {0.8, 0.2, 0.0}, 0);
    m.update(new double[] {0.1, 0.7, 0.2}, 0);
    m.update(new double[] {0.1, 0.2, 0.7}, 2);
    assertEquals("balanced_top1", m.name());
    assertEquals((2.0 / 3 + 1.0) / 2, m.value(), 1e-15); // plain top-1 would be 3/4
  }

  @Test
  void aTieGoesToTheFirstClassAndLabelsBeyondTenAreCounted() {
    BalancedTop1 m = new BalancedTop1();
    m.update(new double[] {5, 5}, 1); // argmax 0: wrong
    double[] s = new double[13];
    s[12] = 1;
    m.update(s, 12); // right
    assertEquals(0.5, m.value(), 1e-15);
  }

  @Test
  void isZeroBeforeAnyImage() {
    assertEquals(0.0, new BalancedTop1().value());
  }
}
