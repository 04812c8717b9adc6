package io.mrt.runtime.exec.fp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mrt.api.graph.Attrs;
import io.mrt.api.graph.Entry;
import io.mrt.api.graph.Graph;
import io.mrt.api.graph.Model;
import io.mrt.api.graph.Node;
import io.mrt.api.graph.Shape;
import io.mrt.runtime.MrtException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class FloatExecutorTest {
  private final Node data = Node.variable("data", Attrs.empty());
  private final Node w = Node.variable("w", Attrs.empty());
  private final Node b = Node.variable("b", Attrs.empty());
  // y = relu(x W^T + b); out = y + y * 2
  private final Node fc = Node.op("FullyConnected", "fc", Attrs.of("num_hidden", "2"), data.out(), w.out(), b.out());
  private final Node relu = Node.op("Activation", "relu", Attrs.of("act_type", "relu"), fc.out());
  private final Node twice = Node.op("_mul_scalar", "twice", Attrs.of("scalar", "2"), relu.out());
  private final Node sum = Node.op("elemwise_add", "sum", Attrs.empty(), relu.out(), twice.out());
  private final Model model = new Model(Graph.of(sum.out()), Map.of(
      "w", Nd4j.create(new double[] {1, 0, 0, -1}, new long[] {2, 2}, DataType.DOUBLE),
      "b", Nd4j.create(new float[] {0.5f, 0f}, new long[] {2}, DataType.FLOAT)));

  private static INDArray x() {
    return Nd4j.create(new float[] {1, 2, -3, -4}, new long[] {2, 2}, DataType.FLOAT);
  }

  @Test
  void runsOpByOpThroughTheForwardHooks() {
    // fc = [[1.5, -2], [-2.5, 4]]; relu = [[1.5, 0], [0, 4]]; out = 3 * relu
    List<INDArray> out = new FloatExecutor(model).run(x());
    assertEquals(1, out.size());
    assertEquals(DataType.FLOAT, out.get(0).dataType());
    assertArrayEquals(new float[] {4.5f, 0, 0, 12}, out.get(0).reshape(4).toFloatVector());
  }

  @Test
  void runAllReturnsEveryNodesOutputs() {
    Map<Node, List<INDArray>> all = new FloatExecutor(model).runAll(Map.of("data", x()));
    assertEquals(List.of(data, w, b, fc, relu, twice, sum), List.copyOf(all.keySet()));
    assertArrayEquals(new float[] {1.5f, -2, -2.5f, 4}, all.get(fc).get(0).reshape(4).toFloatVector());
    assertArrayEquals(new float[] {3, 0, 0, 8}, all.get(twice).get(0).reshape(4).toFloatVector());
    assertEquals(DataType.FLOAT, all.get(w).get(0).dataType(), "params are run in float32");
  }

  @Test
  void anObserverSeesEveryOpNodeInTopologicalOrder() {
    List<String> seen = new ArrayList<>();
    new FloatExecutor(model).run(Map.of("data", x()), (node, in, out) ->
        seen.add(node.name() + ":" + in.size() + "->" + Shape.of(out.get(0).shape())));
    assertEquals(List.of("fc:3->(2, 2)", "relu:1->(2, 2)", "twice:1->(2, 2)", "sum:2->(2, 2)"), seen);
  }

  @Test
  void repeatedRunsGiveIdenticalResults() {
    FloatExecutor ex = new FloatExecutor(model);
    INDArray first = ex.run(x()).get(0);
    INDArray second = ex.run(x()).get(0);
    assertEquals(first, second);
  }

  @Test
  void inputsAreCheckedByName() {
    FloatExecutor ex = new FloatExecutor(model);
    MrtException e = assertThrows(MrtException.class, () -> ex.run(Map.of("x", x())));
    assertEquals("input data was not fed (the model's inputs: [data])", e.getMessage());
  }

  @Test
  void aNodeWithoutImplementationFailsBeforeRunning() {
    Node tanh = Node.op("Activation", "act", Attrs.of("act_type", "tanh"), data.out());
    MrtException e = assertThrows(MrtException.class, () -> new FloatExecutor(new Model(Graph.of(tanh.out()), Map.of())));
    assertTrue(e.getMessage().startsWith("node act: no registered implementation of op Activation with act_type=tanh"),
        e.getMessage());
  }

  @Test
  void aHookRefusingItsInputsNamesTheNode() {
    Node bad = Node.op("elemwise_add", "add", Attrs.empty(), data.out(), w.out());
    FloatExecutor ex = new FloatExecutor(new Model(Graph.of(bad.out()), Map.of("w", Nd4j.zeros(DataType.FLOAT, 3))));
    MrtException e = assertThrows(MrtException.class, () -> ex.run(x()));
    assertTrue(e.getMessage().startsWith("node add (elemwise_add): input shapes must be equal, found (2, 2) and (3,) "
        + "[forward hook of ops-builtin"), e.getMessage());
    assertTrue(e.getMessage().endsWith("] (input shapes [(2, 2), (3,)])"), e.getMessage());
  }

  @Test
  void shapeInferenceGivesEveryEntrysShape() {
    Map<Entry, Shape> shapes = ShapeInference.infer(model, Map.of("data", Shape.of(5, 2)));
    assertEquals(Shape.of(5, 2), shapes.get(fc.out()));
    assertEquals(Shape.of(5, 2), shapes.get(sum.out()));
    assertEquals(Shape.of(2, 2), shapes.get(w.out()));
    MrtException e = assertThrows(MrtException.class, () -> ShapeInference.infer(model, Map.of()));
    assertEquals("node data: the input has no shape: give one (e.g. --input-shape or INPUT_SHAPE)", e.getMessage());
  }
}
