package io.mrt.plugins.tanh;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mrt.api.graph.Attrs;
import io.mrt.api.graph.Entry;
import io.mrt.api.graph.Node;
import io.mrt.api.graph.Shape;
import io.mrt.api.hook.OpException;
import io.mrt.api.hook.Quantized;
import io.mrt.api.registry.Hook;
import io.mrt.api.registry.OpDescriptor;
import io.mrt.api.registry.OpRegistry;
import io.mrt.testing.HookContexts;
import io.mrt.testing.RecordingCalibrateContext;
import io.mrt.testing.RecordingQuantizeContext;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class TanhTest {
  private static final String KEY = "Activation[act_type=tanh]";
  private final OpRegistry registry = new TanhOpRegistry();
  private final OpDescriptor op = registry.ops().get(0);
  private final Node node = Node.op("Activation", "act1", Attrs.of("act_type", "tanh"),
      Node.variable("x", Attrs.empty()).out());

  // the quantize stage itself (requantization, the table, cvm_lut) is exercised on a real model by
  // plugins/it (MnistCnnTanhIT); here the hook is checked to ask it for the right table

  @Test
  void generatedRegistryIsFoundByServiceLoaderAndNamedAfterThePluginId() {
    List<String> names = ServiceLoader.load(OpRegistry.class).stream().map(p -> p.get().name()).toList();
    assertEquals(List.of("tanh"), names);
  }

  @Test
  void registryDescribesTanhAsActivationKeyedByActType() {
    OpDescriptor d = registry.ops().get(0);
    assertEquals(1, registry.ops().size());
    assertEquals(KEY, d.key());
    assertEquals(List.of("Activation", "tanh"), d.names());
    assertEquals("act_type", d.whenAttr());
    assertEquals(List.of("tanh"), d.whenValues());
    assertEquals(Set.of(Hook.INFER_SHAPE, Hook.FORWARD, Hook.CALIBRATE, Hook.QUANTIZE), d.hooks());
    assertEquals(List.of("cvm_lut", "broadcast_add"), d.emits());
    assertEquals(8, d.inputPrecision());
  }

  @Test
  void handlesActivationTanhAndPlainTanhButNotRelu() {
    OpDescriptor d = registry.ops().get(0);
    Node x = Node.variable("x", Attrs.empty());
    assertTrue(d.handles(node));
    assertTrue(d.handles(Node.op("tanh", "t", Attrs.empty(), x.out())));
    assertFalse(d.handles(Node.op("Activation", "r", Attrs.of("act_type", "relu"), x.out())));
  }

  @Test
  void forwardThroughTheDispatchTableComputesTanhElementwise() {
    INDArray x = Nd4j.createFromArray(new float[] {-2f, -0.5f, 0f, 0.5f, 2f});
    INDArray y = registry.forwardHooks().get(KEY).forward(HookContexts.forward(node, op, x)).get(0);
    assertArrayEquals(new float[] {-0.9640276f, -0.46211717f, 0f, 0.46211717f, 0.9640276f}, y.toFloatVector(), 1e-6f);
    assertArrayEquals(new float[] {-2f, -0.5f, 0f, 0.5f, 2f}, x.toFloatVector(), "input unchanged");
  }

  @Test
  void forwardKeepsShapeOfAFeatureMap() {
    INDArray x = Nd4j.linspace(-3, 3, 24).castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT).reshape(1, 2, 3, 4);
    INDArray y = new Tanh().forward(HookContexts.forward(node, op, x)).get(0);
    assertArrayEquals(new long[] {1, 2, 3, 4}, y.shape());
    assertEquals(Math.tanh(3.0), y.getDouble(0, 1, 2, 3), 1e-6);
    assertEquals(Math.tanh(-3.0), y.getDouble(0, 0, 0, 0), 1e-6);
  }

  @Test
  void inferShapeReturnsTheInputShape() {
    List<Shape> out = new Tanh().inferShape(HookContexts.shape(node, op, Shape.of(100, 10, 24, 24)));
    assertEquals(List.of(Shape.of(100, 10, 24, 24)), out);
  }

  @Test
  void inferShapeRefusesTwoInputsNamingTheNode() {
    OpException e = assertThrows(OpException.class,
        () -> new Tanh().inferShape(HookContexts.shape(node, op, Shape.of(2), Shape.of(2))));
    assertEquals("node act1 (Activation): tanh takes 1 input, found 2", e.getMessage());
  }

  @Test
  void quantizeIsALookupTableOfTanhFromTheDeclaredInputPrecisionToSixteenBits() {
    Entry lut = Node.variable("act1", Attrs.empty()).out();
    RecordingQuantizeContext ctx = HookContexts.quantize(node, op)
        .answerLookupTables(new Quantized(lut, 32767 / 0.9950548, 16));
    Quantized q = registry.quantizeHooks().get(KEY).quantize(ctx);
    assertEquals(new Quantized(lut, 32767 / 0.9950548, 16), q);
    assertEquals(1, ctx.lookupTableCalls().size());
    RecordingQuantizeContext.LookupTableCall call = ctx.lookupTableCalls().get(0);
    assertSame(node.input(0), call.input());
    assertEquals(Math.tanh(-3.0), call.function().applyAsDouble(-3.0));
    assertEquals(Math.tanh(0.25), call.function().applyAsDouble(0.25));
    assertEquals(8, call.inputPrecision());
    assertEquals(16, call.outputPrecision());
  }

  @Test
  void calibrateObservesTheOutput() {
    INDArray x = Nd4j.createFromArray(new float[] {-1f, 3f});
    INDArray y = Nd4j.createFromArray(new float[] {-0.7615942f, 0.9950548f});
    RecordingCalibrateContext ctx = HookContexts.calibrate(node, op, List.of(x), List.of(y));
    registry.calibrateHooks().get(KEY).calibrate(ctx);
    assertEquals(1, ctx.observed(0).size());
    assertSame(y, ctx.observed(0).get(0));
  }
}
