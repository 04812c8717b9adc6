package io.mrt.ops;

import static io.mrt.ops.OpHarness.arr;
import static io.mrt.ops.OpHarness.assertArray;
import static io.mrt.ops.OpHarness.f;
import static io.mrt.ops.OpHarness.forward;
import static io.mrt.ops.OpHarness.s;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.mrt.api.graph.Attrs;
import org.junit.jupiter.api.Test;

/** relu and elemwise_add write into an input only when the executor allows it (ForwardContext.mayOverwrite). */
class InPlaceTest {
  @Test
  void reluWritesIntoItsInputOnlyWhenAllowed() {
    var x = arr(f(-1, 0, 2), 3);
    var y = forward("relu", Attrs.empty(), new boolean[] {false}, x).get(0);
    assertNotSame(x, y);
    assertArray(s(3), f(-1, 0, 2), x);
    var z = forward("Activation", Attrs.of("act_type", "relu"), new boolean[] {true}, x).get(0);
    assertSame(x, z);
    assertArray(s(3), f(0, 0, 2), z);
  }

  @Test
  void elemwiseAddWritesIntoWhicheverInputItMayOverwrite() {
    var a = arr(f(1, 2), 2);
    var b = arr(f(10, 20), 2);
    var kept = forward("elemwise_add", Attrs.empty(), new boolean[] {false, false}, a, b).get(0);
    assertArray(s(2), f(11, 22), kept);
    assertArray(s(2), f(1, 2), a);
    assertArray(s(2), f(10, 20), b);
    var intoB = forward("elemwise_add", Attrs.empty(), new boolean[] {false, true}, a, b).get(0);
    assertSame(b, intoB);
    assertArray(s(2), f(11, 22), b);
    assertArray(s(2), f(1, 2), a);
    var intoA = forward("elemwise_add", Attrs.empty(), new boolean[] {true, true}, a, b).get(0);
    assertSame(a, intoA);
    assertArray(s(2), f(12, 24), a);
  }
}
