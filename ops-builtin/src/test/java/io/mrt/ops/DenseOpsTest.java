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

class DenseOpsTest {
  @Test
  void fullyConnectedFlattensAndAddsBias() {
    var y = forward1("FullyConnected", Attrs.of("num_hidden", "3"),
        arr(f(1, 2, 3, 4), 2, 1, 2), arr(f(1, 0, 0, 1, 1, 1), 3, 2), arr(f(0.5, 0, -1), 3));
    assertArray(s(2, 3), f(1.5, 2, 2, 3.5, 4, 6), y);
    assertEquals(Shape.of(2, 3),
        infer1("FullyConnected", Attrs.of("num_hidden", "3"), Shape.of(2, 1, 2), Shape.of(3, 2), Shape.of(3)));
  }

  @Test
  void fullyConnectedWithoutFlattenKeepsTheLeadingAxes() {
    Attrs a = Attrs.of("num_hidden", "1", "flatten", "False", "no_bias", "True");
    var y = forward1("FullyConnected", a, iota(2, 2, 2), arr(f(1, 10), 1, 2));
    assertArray(s(2, 2, 1), f(21, 43, 65, 87), y);
    assertEquals(Shape.of(2, 2, 1), infer1("FullyConnected", a, Shape.of(2, 2, 2), Shape.of(1, 2)));
  }

  @Test
  void batchNormNormalizesEachChannelWithMovingStatistics() {
    // eps 1 makes sqrt(var + eps) = 2 and 4
    var x = arr(f(1, 3, 10, 20), 1, 2, 1, 2);
    var gamma = arr(f(2, 0.5), 2);
    var beta = arr(f(1, 0), 2);
    var mean = arr(f(2, 10), 2);
    var var = arr(f(3, 15), 2);
    var y = forward1("BatchNorm", Attrs.of("eps", "1", "fix_gamma", "False"), x, gamma, beta, mean, var);
    assertArray(s(1, 2, 1, 2), f(0, 2, 0, 1.25), y);
  }

  @Test
  void batchNormWithFixGammaIgnoresGamma() {
    var y = forward1("BatchNorm", Attrs.of("eps", "1"), arr(f(1, 3, 10, 20), 1, 2, 1, 2),
        arr(f(2, 0.5), 2), arr(f(1, 0), 2), arr(f(2, 10), 2), arr(f(3, 15), 2));
    assertArray(s(1, 2, 1, 2), f(0.5, 1.5, 0, 2.5), y);
  }

  @Test
  void embeddingGathersRowsAndClipsIndices() {
    var w = arr(f(0, 1, 10, 11, 20, 21), 3, 2);
    Attrs a = Attrs.of("input_dim", "3", "output_dim", "2");
    var y = forward1("Embedding", a, arr(f(2, 0, 1, 5), 2, 2), w);
    assertArray(s(2, 2, 2), f(20, 21, 0, 1, 10, 11, 20, 21), y);
    assertEquals(Shape.of(2, 2, 2), infer1("Embedding", a, Shape.of(2, 2), Shape.of(3, 2)));
  }
}
