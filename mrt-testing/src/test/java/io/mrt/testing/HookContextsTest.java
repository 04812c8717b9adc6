package io.mrt.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mrt.api.graph.Attrs;
import io.mrt.api.graph.Entry;
import io.mrt.api.graph.Node;
import io.mrt.api.graph.Shape;
import io.mrt.api.hook.CalibrateContext;
import io.mrt.api.hook.ForwardContext;
import io.mrt.api.hook.OpException;
import io.mrt.api.hook.Quantized;
import io.mrt.api.hook.ShapeContext;
import io.mrt.api.registry.AttrSpec;
import io.mrt.api.registry.AttrType;
import io.mrt.api.registry.Hook;
import io.mrt.api.registry.OpDescriptor;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class HookContextsTest {
  /** An op {@code scale(x; alpha=2, beta)} with a default input precision of 8. */
  private static final OpDescriptor SCALE = new OpDescriptor("scale", List.of("scale"), "", List.of(),
      List.of(new AttrSpec("alpha", AttrType.FLOAT, "2"), new AttrSpec("beta", AttrType.FLOAT, null)), false,
      List.of(), 8, Set.of(Hook.FORWARD, Hook.QUANTIZE), "test.Scale");
  private static final OpDescriptor NO_PRECISION = new OpDescriptor("plain", List.of("plain"), "", List.of(),
      List.of(), false, List.of(), 0, Set.of(Hook.QUANTIZE), "test.Plain");

  private final Node node = TinyGraph.unary("scale", "s1", Attrs.of("beta", "0.5"));

  @Test
  void forwardContextHasTheNodesAttributesWithTheOpsDefaultsFilledInAndTheInputsInOrder() {
    INDArray a = Nd4j.createFromArray(new float[] {1f, 2f});
    INDArray b = Nd4j.createFromArray(new float[] {3f});
    ForwardContext ctx = HookContexts.forward(node, SCALE, a, b);
    assertSame(node, ctx.node());
    assertEquals(Map.of("alpha", "2", "beta", "0.5"), ctx.attrs().asMap());
    assertEquals(List.of(a, b), ctx.inputs());
    assertSame(b, ctx.input(1));
    assertEquals(false, ctx.mayOverwrite(0));
  }

  @Test
  void anAttributeTheNodeSetsWinsOverTheDefault() {
    Node n = TinyGraph.unary("scale", "s2", Attrs.of("alpha", "0.25"));
    assertEquals(0.25, HookContexts.forward(n, SCALE).attrs().getDouble("alpha"));
  }

  @Test
  void shapeContextListsTheInputShapesAndItsErrorsNameTheNode() {
    ShapeContext ctx = HookContexts.shape(node, SCALE, Shape.of(4, 20), Shape.of(1));
    assertEquals(List.of(Shape.of(4, 20), Shape.of(1)), ctx.inputShapes());
    assertEquals(Shape.of(1), ctx.inputShape(1));
    OpException e = ctx.error("scale takes 1 input, found 2");
    assertEquals("node s1 (scale): scale takes 1 input, found 2", e.getMessage());
  }

  @Test
  void calibrateContextIsBatchZeroAndKeepsWhatTheHookObservedPerOutput() {
    INDArray x = Nd4j.createFromArray(new float[] {-1f, 3f});
    INDArray y = Nd4j.createFromArray(new float[] {-2f, 6f});
    RecordingCalibrateContext ctx = HookContexts.calibrate(node, SCALE, List.of(x), List.of(y));
    CalibrateContext hookView = ctx;
    hookView.observe(0, y);
    hookView.observe(0, x);
    assertEquals(0, ctx.batchIndex());
    assertEquals(List.of(x), ctx.inputs());
    assertEquals(List.of(y), ctx.outputs());
    assertEquals(List.of(y, x), ctx.observed(0));
    OpException e = assertThrows(OpException.class, () -> hookView.observe(1, y));
    assertEquals("node s1 (scale): observe(1): the node has 1 output(s)", e.getMessage());
  }

  @Test
  void quantizeContextRecordsEachLookupTableRequestAndAnswersWithTheTestsResult() {
    Entry out = Node.variable("s1", Attrs.empty()).out();
    RecordingQuantizeContext ctx = HookContexts.quantize(node, SCALE).answerLookupTables(new Quantized(out, 127, 8));
    Quantized q = ctx.lookupTable(ctx.input(0), v -> 2 * v, ctx.inputPrecision(), 16);
    assertEquals(new Quantized(out, 127, 8), q);
    assertEquals(1, ctx.lookupTableCalls().size());
    RecordingQuantizeContext.LookupTableCall call = ctx.lookupTableCalls().get(0);
    assertSame(node.input(0), call.input());
    assertEquals(-3.0, call.function().applyAsDouble(-1.5));
    assertEquals(8, call.inputPrecision());
    assertEquals(16, call.outputPrecision());
  }

  @Test
  void quantizeContextAnswersMrtsDefaultsAndTheDescribedEntries() {
    RecordingQuantizeContext ctx = HookContexts.quantize(node, SCALE).withOutputThreshold(6.5);
    ctx.describe(node.input(0), 127 / 3.25, 8, 3.25);
    assertEquals(5, ctx.shiftBits());
    assertEquals(10, ctx.softmaxLambda());
    assertEquals(6.5, ctx.outputThreshold());
    assertEquals(127 / 3.25, ctx.scale(node.input(0)));
    assertEquals(8, ctx.precision(node.input(0)));
    assertEquals(3.25, ctx.inputThreshold(0));
    assertEquals(Map.of("alpha", "2", "beta", "0.5"), ctx.attrs().asMap());
  }

  @Test
  void quantizeContextRefusesWhatTheTestDidNotSetUpNamingTheNode() {
    RecordingQuantizeContext ctx = HookContexts.quantize(node, SCALE);
    assertEquals("node s1 (scale): threshold(x): the entry is not described (describe it in the test)",
        assertThrows(OpException.class, () -> ctx.threshold(node.input(0))).getMessage());
    assertEquals("node s1 (scale): outputThreshold(): the test set none (withOutputThreshold)",
        assertThrows(OpException.class, ctx::outputThreshold).getMessage());
    assertEquals("node s1 (scale): lookupTable: the test set no answer (answerLookupTables)",
        assertThrows(OpException.class, () -> ctx.lookupTable(node.input(0), v -> v, 8, 16)).getMessage());
    assertEquals("node p (plain): the op declares no default input precision (@MrtOp inputPrecision)",
        assertThrows(OpException.class,
            () -> HookContexts.quantize(TinyGraph.unary("plain", "p", Attrs.empty()), NO_PRECISION).inputPrecision())
            .getMessage());
  }

  @Test
  void quantizeContextLeavesTheRequantizationArithmeticToTheQuantizeStage() {
    RecordingQuantizeContext ctx = HookContexts.quantize(node, SCALE);
    UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
        () -> ctx.requantOperator(node.input(0), 8, Double.NaN));
    assertEquals("node s1 (scale): requantOperator is the quantize stage's own work, which RecordingQuantizeContext "
        + "does not do; test a hook that calls it through the quantize stage on a model", e.getMessage());
    assertThrows(UnsupportedOperationException.class, ctx::keepScale);
    assertThrows(UnsupportedOperationException.class, () -> ctx.op("relu", "r", Attrs.empty(), node.input(0)));
  }
}
