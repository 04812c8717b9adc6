package io.mrt.api.hook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class QuantMathTest {
  @Test
  void rangeIsTwoToThePrecisionMinusOneMinusOne() {
    assertEquals(0, QuantMath.range(1));
    assertEquals(127, QuantMath.range(8));
    assertEquals(32767, QuantMath.range(16));
    assertEquals(2147483647L, QuantMath.range(32));
    assertThrows(IllegalArgumentException.class, () -> QuantMath.range(0));
  }

  @Test
  void bitsOfIsCeilLog2OfMagnitudePlusOnePlusOne() {
    assertEquals(1, QuantMath.bitsOf(0));        // ceil(log2 1) + 1
    assertEquals(2, QuantMath.bitsOf(1));        // ceil(log2 2) + 1
    assertEquals(3, QuantMath.bitsOf(2));        // ceil(log2 3) = 2
    assertEquals(8, QuantMath.bitsOf(127));      // log2 128 = 7 exactly
    assertEquals(9, QuantMath.bitsOf(127.5));    // log2 128.5 > 7
    assertEquals(9, QuantMath.bitsOf(-128));     // |x| counts
    assertEquals(16, QuantMath.bitsOf(24193.5)); // 2^14 < 24194.5 <= 2^15
    assertEquals(12, QuantMath.bitsOf(1612.9));  // 2^10 < 1613.9 <= 2^11
    assertEquals(32, QuantMath.bitsOf(2147483647.0));
  }

  @Test
  void bitCountIsTheNumberOfBinaryDigits() {
    assertEquals(1, QuantMath.bitCount(1));
    assertEquals(3, QuantMath.bitCount(4));
    assertEquals(4, QuantMath.bitCount(8));
    assertEquals(4, QuantMath.bitCount(9));
    assertEquals(10, QuantMath.bitCount(576)); // 64 channels * 3 * 3
    assertThrows(IllegalArgumentException.class, () -> QuantMath.bitCount(0));
  }

  @Test
  void numberPrecisionIsBitCountOfNPlusOnePlusOne() {
    assertEquals(8, QuantMath.numberPrecision(126));  // bits(127) + 1
    assertEquals(9, QuantMath.numberPrecision(127));  // bits(128) + 1: one more than R(8) = 127 needs
    assertEquals(33, QuantMath.numberPrecision(2147483647L)); // the clip bound the CVM rejects
    assertEquals(2, QuantMath.numberPrecision(0));    // bits(1) + 1
  }

  @Test
  void scaleMapsTheThresholdOntoTheRange() {
    assertEquals(63.5, QuantMath.scale(2.0, 8));
    assertEquals(32767 / 0.5, QuantMath.scale(0.5, 16));
    assertEquals(1.0, QuantMath.scale(0, 8));
    assertThrows(IllegalArgumentException.class, () -> QuantMath.scale(-1, 8));
  }

  @Test
  void roundingIsHalfAwayFromZeroAndRealizeClips() {
    assertEquals(3, QuantMath.roundHalfAway(2.5));
    assertEquals(-3, QuantMath.roundHalfAway(-2.5));
    assertEquals(2, QuantMath.roundHalfAway(2.4999));
    assertEquals(64, QuantMath.realize(0.5 * 127, 8));  // 63.5 -> 64
    assertEquals(127, QuantMath.realize(200.2, 8));
    assertEquals(-127, QuantMath.realize(-127.6, 8));
  }

  @Test
  void cvmFloatValueIsFracTimesTwoToExp() {
    CvmFloat f = new CvmFloat(3302602, -22);
    assertEquals(3302602.0 / 4194304.0, f.value());
    assertEquals(Math.abs(3302602.0 / 4194304.0 - 12700.0 / 16129.0) / (12700.0 / 16129.0), f.relativeError(12700.0 / 16129.0));
  }
}
