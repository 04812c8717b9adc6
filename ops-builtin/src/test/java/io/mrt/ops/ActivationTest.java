package io.mrt.ops;

import static io.mrt.ops.OpHarness.arr;
import static io.mrt.ops.OpHarness.assertArray;
import static io.mrt.ops.OpHarness.f;
import static io.mrt.ops.OpHarness.forward1;
import static io.mrt.ops.OpHarness.s;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.mrt.api.graph.Attrs;
import io.mrt.api.graph.Node;
import io.mrt.api.registry.OpDescriptor;
import org.junit.jupiter.api.Test;

class ActivationTest {
  @Test
  void reluActivationAndReluOpClampNegativesToZero() {
    assertArray(s(3), f(0, 0, 2), forward1("Activation", Attrs.of("act_type", "relu"), arr(f(-1, 0, 2), 3)));
    assertArray(s(3), f(0, 0, 2), forward1("relu", Attrs.empty(), arr(f(-1, 0, 2), 3)));
  }

  @Test
  void sigmoidActivationAndSigmoidOp() {
    double ln3 = Math.log(3);
    assertArray(s(3), f(0.5, 0.75, 0.25),
        forward1("Activation", Attrs.of("act_type", "sigmoid"), arr(f(0, ln3, -ln3), 3)));
    assertArray(s(1), f(0.75), forward1("sigmoid", Attrs.empty(), arr(f(ln3), 1)));
  }

  @Test
  void softreluIsLogOnePlusExpAndTheIdentityAboveTwenty() {
    assertArray(s(3), f(Math.log(2), Math.log1p(Math.E), 25),
        forward1("Activation", Attrs.of("act_type", "softrelu"), arr(f(0, 1, 25), 3)));
  }

  @Test
  void tanhActivationIsNotBuiltIn() {
    Node tanh = OpHarness.node("Activation", Attrs.of("act_type", "tanh"), 1);
    for (OpDescriptor d : OpHarness.REGISTRY.ops()) {
      assertFalse(d.handles(tanh), d.key() + " must not handle Activation(tanh): a plugin provides it");
    }
  }

  @Test
  void leakyReluScalesNegativesBySlope() {
    assertArray(s(2), f(-0.2, 3), forward1("LeakyReLU", Attrs.of("slope", "0.1"), arr(f(-2, 3), 2)));
  }

  @Test
  void preluUsesOneLearnedSlopePerChannel() {
    // channel 0 = [-1, 2] with slope 0.5, channel 1 = [-4, 2] with slope 0.25
    var y = forward1("LeakyReLU", Attrs.of("act_type", "prelu"), arr(f(-1, 2, -4, 2), 1, 2, 2), arr(f(0.5, 0.25), 2));
    assertArray(s(1, 2, 2), f(-0.5, 2, -1, 2), y);
  }

  @Test
  void eluRreluAndSelu() {
    assertArray(s(2), f(-0.5, 2), forward1("LeakyReLU", Attrs.of("act_type", "elu", "slope", "1"),
        arr(f(-Math.log(2), 2), 2)));
    assertArray(s(1), f(-0.2295), forward1("LeakyReLU", Attrs.of("act_type", "rrelu"), arr(f(-1), 1)));
    assertArray(s(2), f(1.0507009873554805, 0), forward1("LeakyReLU", Attrs.of("act_type", "selu"), arr(f(1, 0), 2)));
  }

  @Test
  void softmaxAlongLastAxisWithTemperatureAndLargeInputs() {
    double ln3 = Math.log(3);
    assertArray(s(2, 2), f(0.25, 0.75, 0.5, 0.5),
        forward1("softmax", Attrs.empty(), arr(f(0, ln3, 1000, 1000), 2, 2)));
    assertArray(s(2, 1), f(0.25, 0.75), forward1("softmax", Attrs.of("axis", "0"), arr(f(0, ln3), 2, 1)));
    assertArray(s(2), f(0.25, 0.75), forward1("softmax", Attrs.of("temperature", "2"), arr(f(0, 2 * ln3), 2)));
  }
}
