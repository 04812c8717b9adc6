package io.mrt.ops;

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

/** Forward and shape of the ops that prepare rewrites away or emits: negative, SwapAxis, zeros_like, ones_like. */
class PrepareOnlyOpsTest {
  @Test
  void negativeFlipsTheSign() {
    assertArray(s(2, 2), f(-1, -2, -3, -4), forward1("negative", Attrs.empty(), iota(2, 2)));
    assertEquals(Shape.of(3, 1), infer1("negative", Attrs.empty(), Shape.of(3, 1)));
  }

  @Test
  void swapAxisExchangesTwoAxes() {
    Attrs a = Attrs.of("dim1", "0", "dim2", "-1");
    assertEquals(Shape.of(4, 3, 2), infer1("SwapAxis", a, Shape.of(2, 3, 4)));
    assertArray(s(3, 2), f(1, 4, 2, 5, 3, 6), forward1("SwapAxis", a, iota(2, 3)));
  }

  @Test
  void zerosLikeAndOnesLikeKeepTheShape() {
    assertArray(s(2, 3), f(0, 0, 0, 0, 0, 0), forward1("zeros_like", Attrs.empty(), iota(2, 3)));
    assertArray(s(2, 3), f(1, 1, 1, 1, 1, 1), forward1("ones_like", Attrs.empty(), iota(2, 3)));
    assertEquals(Shape.of(5), infer1("ones_like", Attrs.empty(), Shape.of(5)));
  }
}
