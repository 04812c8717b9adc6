package io.mrt.plugins.hardsigmoid;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mrt.api.graph.Attrs;
import io.mrt.api.graph.Entry;
import io.mrt.api.graph.Node;
import io.mrt.api.graph.Shape;
import io.mrt.api.hook.OpException;
import io.mrt.api.hook.Quantized;
import io.mrt.api.registry.AttrSpec;
import io.mrt.api.registry.AttrType;
import io.mrt.api.registry.Hook;
import io.mrt.api.registry.OpDescriptor;
import io.mrt.api.registry.OpRegistry;
import io.mrt.testing.HookContexts;
import io.mrt.testing.RecordingQuantizeContext;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.DoubleStream;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class HardSigmoidTest {
  private final OpRegistry registry = new HardSigmoidOpRegistry();
  private final OpDescriptor op = registry.ops().get(0);
  private final Node x = Node.variable("x", Attrs.empty());

  @Test
  void registryDescribesHardSigmoidWithMxnetDefaults() {
    assertEquals("hard-sigmoid", registry.name());
    assertEquals(1, registry.ops().size());
    assertEquals("hard_sigmoid", op.key());
    assertEquals(List.of(new AttrSpec("alpha", AttrType.FLOAT, "0.2"), new AttrSpec("beta", AttrType.FLOAT, "0.5")),
        op.attrs());
    assertEquals(Map.of("alpha", "0.2", "beta", "0.5"), op.defaults());
    assertEquals(Set.of(Hook.INFER_SHAPE, Hook.FORWARD, Hook.QUANTIZE), op.hooks());
    assertEquals(8, op.inputPrecision());
  }

  @Test
  void forwardWithDefaultsClipsPointTwoXPlusHalfToZeroOne() {
    Node n = Node.op("hard_sigmoid", "hs", Attrs.empty(), x.out());
    INDArray in = Nd4j.createFromArray(new float[] {-5f, -2.5f, -1f, 0f, 1f, 2.5f, 5f});
    INDArray y = registry.forwardHooks().get("hard_sigmoid").forward(HookContexts.forward(n, op, in)).get(0);
    assertArrayEquals(new float[] {0f, 0f, 0.3f, 0.5f, 0.7f, 1f, 1f}, y.toFloatVector(), 1e-6f);
    assertArrayEquals(new float[] {-5f, -2.5f, -1f, 0f, 1f, 2.5f, 5f}, in.toFloatVector(), "input unchanged");
  }

  @Test
  void forwardUsesTheNodesAlphaAndBeta() {
    Node n = Node.op("hard_sigmoid", "hs", Attrs.of("alpha", "0.5", "beta", "0.25"), x.out());
    INDArray in = Nd4j.createFromArray(new float[] {-1f, 0f, 0.5f, 1f, 2f});
    INDArray y = new HardSigmoid().forward(HookContexts.forward(n, op, in)).get(0);
    assertArrayEquals(new float[] {0f, 0.25f, 0.5f, 0.75f, 1f}, y.toFloatVector(), 1e-6f);
  }

  @Test
  void forwardRefusesAnInfiniteAlpha() {
    Node n = Node.op("hard_sigmoid", "hs", Attrs.of("alpha", "inf"), x.out());
    INDArray in = Nd4j.createFromArray(new float[] {1f});
    OpException e = assertThrows(OpException.class, () -> new HardSigmoid().forward(HookContexts.forward(n, op, in)));
    assertEquals("node hs (hard_sigmoid): alpha and beta must be finite, found alpha=Infinity, beta=0.5",
        e.getMessage());
  }

  @Test
  void quantizeIsALookupTableOfTheNodesFunctionFromEightToSixteenBits() {
    Node n = Node.op("hard_sigmoid", "hs", Attrs.of("alpha", "0.25"), x.out());
    Entry out = Node.variable("hs", Attrs.empty()).out();
    RecordingQuantizeContext ctx = HookContexts.quantize(n, op).answerLookupTables(new Quantized(out, 32767, 16));
    assertEquals(new Quantized(out, 32767, 16), registry.quantizeHooks().get("hard_sigmoid").quantize(ctx));
    assertEquals(1, ctx.lookupTableCalls().size());
    RecordingQuantizeContext.LookupTableCall call = ctx.lookupTableCalls().get(0);
    assertSame(n.input(0), call.input());
    assertEquals(List.of(0.0, 0.0, 0.25, 0.5, 0.75, 1.0, 1.0),
        DoubleStream.of(-4, -2, -1, 0, 1, 2, 4).map(call.function()).boxed().toList(), "0.25 x + 0.5, clipped to [0, 1]");
    assertEquals(8, call.inputPrecision());
    assertEquals(16, call.outputPrecision());
  }

  @Test
  void inferShapeReturnsTheInputShapeAndRefusesTwoInputs() {
    Node n = Node.op("hard_sigmoid", "hs", Attrs.empty(), x.out());
    assertEquals(List.of(Shape.of(8, 20)), new HardSigmoid().inferShape(HookContexts.shape(n, op, Shape.of(8, 20))));
    OpException e = assertThrows(OpException.class,
        () -> new HardSigmoid().inferShape(HookContexts.shape(n, op, Shape.of(8), Shape.of(8))));
    assertEquals("node hs (hard_sigmoid): hard_sigmoid takes 1 input, found 2", e.getMessage());
  }
}
