package io.mrt.ops;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mrt.api.registry.Hook;
import io.mrt.api.registry.OpDescriptor;
import org.junit.jupiter.api.Test;

class RegistryTest {
  @Test
  void everyBuiltInOpCanInferShapesAndRunInFloat() {
    for (OpDescriptor d : OpHarness.REGISTRY.ops()) {
      assertTrue(d.has(Hook.INFER_SHAPE), d.key() + " lacks inferShape");
      assertTrue(d.has(Hook.FORWARD), d.key() + " lacks forward");
    }
  }

  @Test
  void theOpsOfIssueThreeAreRegistered() {
    String[] names = {"Convolution", "FullyConnected", "BatchNorm", "Activation", "relu", "LeakyReLU", "Pooling",
        "Flatten", "Reshape", "transpose", "Concat", "elemwise_add", "elemwise_sub", "elemwise_mul", "elemwise_div",
        "broadcast_add", "broadcast_sub", "broadcast_mul", "broadcast_div", "_plus_scalar", "_minus_scalar",
        "_mul_scalar", "_div_scalar", "_rminus_scalar", "clip", "softmax", "Dropout", "sum", "mean", "max", "slice",
        "slice_axis", "SliceChannel", "expand_dims", "squeeze", "UpSampling", "Embedding"};
    for (String n : names) {
      assertTrue(OpHarness.REGISTRY.ops().stream().anyMatch(d -> d.names().contains(n)), n + " is not registered");
    }
  }
}
