package io.mrt.runtime.stage.quantize;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mrt.api.hook.CvmFloat;
import org.junit.jupiter.api.Test;

/** MRT's cvm_float, step for step: normalize into [1, 2), double until an integer or out of bits, round half to even. */
class CvmFloatsTest {
  @Test
  void fractionsTakeAllTheBitsTheyAreGiven() {
    // 12700 / 16129 = 0.787401...: normalized 1.5748 (exp -1), doubled 21 more times (bits 23 -> 2)
    // to 3302601.57, rounded to 3302602, exp -22
    assertEquals(new CvmFloat(3302602, -22), CvmFloats.of(12700.0 / 16129, 23));
    // 0.1 with 8 bits: 1.6 * 2^-4, doubled 6 times: 102.4 -> 102, exp -10 (102 / 1024 = 0.0996)
    assertEquals(new CvmFloat(102, -10), CvmFloats.of(0.1, 8));
  }

  @Test
  void exactValuesStopAsSoonAsTheyAreIntegers() {
    assertEquals(new CvmFloat(3, 0), CvmFloats.of(3.0, 24));   // 1.5 * 2^1 -> 3 * 2^0
    assertEquals(new CvmFloat(3, -2), CvmFloats.of(0.75, 24)); // 1.5 * 2^-1 -> 3 * 2^-2
    assertEquals(new CvmFloat(1, 2), CvmFloats.of(4.0, 24));   // 1 * 2^2: a positive exponent
    assertEquals(new CvmFloat(129, 1), CvmFloats.of(258.0, 24));
    assertEquals(new CvmFloat(0, 0), CvmFloats.of(0, 24));
  }

  @Test
  void roundingIsHalfToEvenAndFracIsCapped() {
    // 2.5 with 3 bits: 1.25 * 2^1, one doubling (bits 2 -> 1): 2.5 -> round half to even = 2
    assertEquals(new CvmFloat(2, 0), CvmFloats.of(2.5, 3));
    // 1e9 with 4 bits: 1.86 * 2^29, doubled twice: 7.45 -> 7 (<= 2^3 - 1), exp 27
    assertEquals(new CvmFloat(7, 27), CvmFloats.of(1e9, 4));
    // 1.99999 with 4 bits: doubled twice to 7.99996 -> 8, capped at 2^3 - 1 = 7
    assertEquals(new CvmFloat(7, -2), CvmFloats.of(1.99999, 4));
  }
}
