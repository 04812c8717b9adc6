package io.mrt.ops;

import static io.mrt.ops.OpHarness.arr;
import static io.mrt.ops.OpHarness.assertArray;
import static io.mrt.ops.OpHarness.f;
import static io.mrt.ops.OpHarness.forward1;
import static io.mrt.ops.OpHarness.infer1;
import static io.mrt.ops.OpHarness.iota;
import static io.mrt.ops.OpHarness.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mrt.api.graph.Attrs;
import io.mrt.api.graph.Shape;
import io.mrt.api.hook.OpException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ArithmeticTest {
  @Test
  void elemwiseOpsNeedEqualShapes() {
    var a = arr(f(1, 2), 2);
    var b = arr(f(10, 20), 2);
    assertArray(s(2), f(11, 22), forward1("elemwise_add", Attrs.empty(), a, b));
    assertArray(s(2), f(-9, -18), forward1("elemwise_sub", Attrs.empty(), a, b));
    assertArray(s(2), f(10, 40), forward1("elemwise_mul", Attrs.empty(), a, b));
    assertArray(s(2), f(0.1, 0.1), forward1("elemwise_div", Attrs.empty(), a, b));
    assertArray(s(2), f(11, 22), forward1("_plus", Attrs.empty(), a, b));
    OpException e = assertThrows(OpException.class,
        () -> infer1("elemwise_add", Attrs.empty(), Shape.of(2), Shape.of(1)));
    assertEquals("node n (elemwise_add): input shapes must be equal, found (2,) and (1,)", e.getMessage());
  }

  @Test
  void broadcastOpsStretchAxesOfSizeOne() {
    var col = arr(f(1, 2), 2, 1);
    var row = arr(f(10, 20, 30), 1, 3);
    assertArray(s(2, 3), f(11, 21, 31, 12, 22, 32), forward1("broadcast_add", Attrs.empty(), col, row));
    assertArray(s(2, 3), f(-9, -19, -29, -8, -18, -28), forward1("broadcast_sub", Attrs.empty(), col, row));
    assertArray(s(2, 3), f(10, 20, 30, 20, 40, 60), forward1("broadcast_mul", Attrs.empty(), col, row));
    assertArray(s(2, 3), f(10, 20, 30, 5, 10, 15), forward1("broadcast_div", Attrs.empty(), row, col));
    assertArray(s(2, 3), f(11, 22, 33, 14, 25, 36),
        forward1("broadcast_plus", Attrs.empty(), iota(2, 3), arr(f(10, 20, 30), 3)));
    assertThrows(OpException.class, () -> infer1("broadcast_add", Attrs.empty(), Shape.of(2, 3), Shape.of(2, 2)));
  }

  @ParameterizedTest(name = "{0} with scalar {1}")
  @CsvSource(delimiter = ';', value = {
      "_plus_scalar; 1; 2 3 5",
      "_minus_scalar; 1; 0 1 3",
      "_rminus_scalar; 1; 0 -1 -3",
      "_mul_scalar; 2; 2 4 8",
      "_div_scalar; 2; 0.5 1 2",
      "_rdiv_scalar; 4; 4 2 1",
      "_maximum_scalar; 2; 2 2 4",
      "_minimum_scalar; 2; 1 2 2",
      "_power_scalar; 2; 1 4 16",
      "_rpower_scalar; 2; 2 4 16",
      "_greater_scalar; 1.5; 0 1 1"})
  void scalarOpsOnOneTwoFour(String op, String scalar, String expected) {
    String[] e = expected.split(" ");
    float[] want = new float[e.length];
    for (int i = 0; i < e.length; i++) {
      want[i] = Float.parseFloat(e[i]);
    }
    assertArray(s(3), want, forward1(op, Attrs.of("scalar", scalar), arr(f(1, 2, 4), 3)));
  }

  @Test
  void clipBoundsValues() {
    assertArray(s(3), f(-1, 0.5, 1), forward1("clip", Attrs.of("a_min", "-1", "a_max", "1"), arr(f(-2, 0.5, 3), 3)));
  }

  @Test
  void reductionsOverAxesWithKeepdimsAndExclude() {
    var x = iota(2, 3); // [[1,2,3],[4,5,6]]
    assertArray(s(1), f(21), forward1("sum", Attrs.empty(), x));
    assertArray(s(2), f(6, 15), forward1("sum", Attrs.of("axis", "1"), x));
    assertArray(s(1, 3), f(5, 7, 9), forward1("sum", Attrs.of("axis", "(0,)", "keepdims", "True"), x));
    assertArray(s(2), f(6, 15), forward1("sum", Attrs.of("axis", "0", "exclude", "True"), x));
    assertArray(s(2), f(2, 5), forward1("mean", Attrs.of("axis", "1"), x));
    assertArray(s(3), f(4, 5, 6), forward1("max", Attrs.of("axis", "0"), x));
    assertEquals(Shape.of(1, 1), infer1("sum", Attrs.of("keepdims", "True"), Shape.of(2, 3)));
  }
}
