package io.mrt.ops;

import static io.mrt.ops.OpHarness.arr;
import static io.mrt.ops.OpHarness.assertArray;
import static io.mrt.ops.OpHarness.f;
import static io.mrt.ops.OpHarness.forward1;
import static io.mrt.ops.OpHarness.infer1;
import static io.mrt.ops.OpHarness.iota;
import static io.mrt.ops.OpHarness.s;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mrt.api.graph.Attrs;
import io.mrt.api.graph.Shape;
import org.junit.jupiter.api.Test;

class PoolingTest {
  @Test
  void maxPoolingValidConvention() {
    var y = forward1("Pooling", Attrs.of("kernel", "(2, 2)", "stride", "(2, 2)", "pool_type", "max"), iota(1, 1, 4, 4));
    assertArray(s(1, 1, 2, 2), f(6, 8, 14, 16), y);
  }

  @Test
  void maxPoolingFullConventionAddsAClippedWindow() {
    Attrs full = Attrs.of("kernel", "(3, 3)", "stride", "(2, 2)", "pooling_convention", "full");
    assertArray(s(1, 1, 2, 2), f(11, 12, 15, 16), forward1("Pooling", full, iota(1, 1, 4, 4)));
    assertEquals(Shape.of(1, 1, 1, 1),
        infer1("Pooling", Attrs.of("kernel", "(3, 3)", "stride", "(2, 2)"), Shape.of(1, 1, 4, 4)));
  }

  @Test
  void avgPoolingCountsPaddingByDefault() {
    Attrs a = Attrs.of("kernel", "(2, 2)", "pad", "(1, 1)", "pool_type", "avg");
    var y = forward1("Pooling", a, iota(1, 1, 2, 2));
    assertArray(s(1, 1, 3, 3), f(0.25, 0.75, 0.5, 1, 2.5, 1.5, 0.75, 1.75, 1), y);
  }

  @Test
  void avgPoolingWithoutCountIncludePadDividesByTheValidCells() {
    Attrs a = Attrs.of("kernel", "(2, 2)", "pad", "(1, 1)", "pool_type", "avg", "count_include_pad", "False");
    var y = forward1("Pooling", a, iota(1, 1, 2, 2));
    assertArray(s(1, 1, 3, 3), f(1, 1.5, 2, 2, 2.5, 3, 3, 3.5, 4), y);
  }

  @Test
  void avgPoolingFullConventionDividesPartialWindowsByTheirSize() {
    Attrs a = Attrs.of("kernel", "(2, 2)", "stride", "(2, 2)", "pool_type", "avg", "pooling_convention", "full");
    assertArray(s(1, 1, 2, 2), f(3, 4.5, 7.5, 9), forward1("Pooling", a, iota(1, 1, 3, 3)));
  }

  @Test
  void globalPoolingReducesEachPlane() {
    var x = arr(f(1, 2, 3, 4, 10, 20, 30, 40), 1, 2, 2, 2);
    assertArray(s(1, 2, 1, 1), f(2.5, 25),
        forward1("Pooling", Attrs.of("global_pool", "True", "pool_type", "avg", "kernel", "(1, 1)"), x));
    assertArray(s(1, 2, 1, 1), f(4, 40), forward1("Pooling", Attrs.of("global_pool", "True"), x));
    assertEquals(Shape.of(5, 64, 1, 1), infer1("Pooling", Attrs.of("global_pool", "True"), Shape.of(5, 64, 8, 8)));
  }

  @Test
  void globalAveragePoolingReadsAnNchwViewOfAnNhwcBufferAndLeavesItOpen() {
    // NHWC buffer [1, 2, 2, 2] with channel 0 = 1, 2, 3, 4 and channel 1 = 10, 20, 30, 40, seen as NCHW
    var nhwc = arr(f(1, 10, 2, 20, 3, 30, 4, 40), 1, 2, 2, 2);
    var view = nhwc.permute(0, 3, 1, 2);
    var y = forward1("Pooling", Attrs.of("global_pool", "True", "pool_type", "avg", "kernel", "(1, 1)"), view);
    assertArray(s(1, 2, 1, 1), f(2.5, 25), y);
    assertArray(s(1, 2, 2, 2), f(1, 10, 2, 20, 3, 30, 4, 40), nhwc);
  }

  @Test
  void sumPoolingAddsTheWindow() {
    var y = forward1("Pooling", Attrs.of("kernel", "(2, 2)", "stride", "(2, 2)", "pool_type", "sum"), iota(1, 1, 2, 4));
    assertArray(s(1, 1, 1, 2), f(1 + 2 + 5 + 6, 3 + 4 + 7 + 8), y);
  }
}
