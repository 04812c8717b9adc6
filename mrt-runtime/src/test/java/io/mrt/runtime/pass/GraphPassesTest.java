package io.mrt.runtime.pass;

import static io.mrt.runtime.pass.TestGraphs.CTX;
import static io.mrt.runtime.pass.TestGraphs.a;
import static io.mrt.runtime.pass.TestGraphs.floats;
import static io.mrt.runtime.pass.TestGraphs.input;
import static io.mrt.runtime.pass.TestGraphs.lines;
import static io.mrt.runtime.pass.TestGraphs.maxDiff;
import static io.mrt.runtime.pass.TestGraphs.model;
import static io.mrt.runtime.pass.TestGraphs.op;
import static io.mrt.runtime.pass.TestGraphs.params;
import static io.mrt.runtime.pass.TestGraphs.run;
import static io.mrt.runtime.pass.TestGraphs.text;
import static io.mrt.runtime.pass.TestGraphs.values;
import static io.mrt.runtime.pass.TestGraphs.var;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mrt.api.graph.Attrs;
import io.mrt.api.graph.Entry;
import io.mrt.api.graph.Graph;
import io.mrt.api.graph.Model;
import io.mrt.api.graph.Node;
import io.mrt.runtime.MrtException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Multiple outputs fusion, constant fusion and parameter unification. */
class GraphPassesTest {
  @Test
  void fuseMultipleOutputsTurnsEachUsedSliceChannelOutputIntoASliceAxis() {
    Node x = input("data", 1, 6, 2);
    Node split = new Node("SliceChannel", "split0", Attrs.of("num_outputs", "3", "axis", "1"), List.of(x.out()), 3);
    Node add = new Node("elemwise_add", "y", Attrs.empty(), List.of(split.out(0), split.out(2)), 1);
    Model m = model(Map.of(), add);
    Model out = new FuseMultipleOutputsPass().apply(m, CTX);
    assertEquals(lines(
        "data = input {__shape__=(1, 6, 2)}",
        "split0_0 = slice_axis(data) {axis=1, begin=0, end=2}",
        "split0_2 = slice_axis(data) {axis=1, begin=4, end=6}",
        "y = elemwise_add(split0_0, split0_2)",
        "heads y"), text(out));
    INDArray in = values(7, 1, 6, 2);
    assertEquals(0.0, maxDiff(run(m, in).get(0), run(out, in).get(0)));
  }

  @Test
  void fuseMultipleOutputsSqueezesWhenTheSplitDoes() {
    Node x = input("data", 1, 2, 3);
    Node split = new Node("SliceChannel", "s", Attrs.of("num_outputs", "2", "squeeze_axis", "True"),
        List.of(x.out()), 2);
    Model out = new FuseMultipleOutputsPass().apply(new Model(new Graph(List.of(split.out(1))), Map.of()), CTX);
    assertEquals(lines(
        "data = input {__shape__=(1, 2, 3)}",
        "s_1_slice = slice_axis(data) {axis=1, begin=1, end=2}",
        "s_1 = squeeze(s_1_slice) {axis=(1,)}",
        "heads s_1"), text(out));
  }

  @Test
  void fuseMultipleOutputsRefusesUnequalParts() {
    Node x = input("data", 1, 5);
    Node split = new Node("SliceChannel", "s", Attrs.of("num_outputs", "2"), List.of(x.out()), 2);
    MrtException e = assertThrows(MrtException.class, () -> new FuseMultipleOutputsPass()
        .apply(new Model(new Graph(List.of(split.out(0))), Map.of()), CTX));
    assertEquals("node s (SliceChannel): cannot split axis 1 of shape (1, 5) into num_outputs=2 equal parts (node has"
        + " 2 outputs)", e.getMessage());
  }

  @Test
  void fuseConstantEvaluatesOpsOfParametersIntoAParameterWithItsPrecision() {
    Node w = var("w");
    Node b = var("b");
    Node c = op("broadcast_add", "c", a(), w, b);
    Node neg = op("negative", "n", a(), c);
    Node y = op("broadcast_mul", "y", a(), input("data", 1, 2), neg);
    Model m = model(params("w", floats(new long[] {2}, 1f, 2f), "b", floats(new long[] {2}, 0.5f, -4f)), y);
    Model out = new FuseConstantPass().apply(m, CTX);
    assertEquals(lines(
        "data = input {__shape__=(1, 2)}",
        "n = param (2,) {precision=3}",
        "y = broadcast_mul(data, n)",
        "heads y"), text(out));
    assertArrayEquals(new float[] {-1.5f, 2f}, out.params().get("n").toFloatVector());
  }

  @Test
  void getBitIsTheBitsOfTheAbsMaxWithSign() {
    assertEquals(1, FuseConstantPass.getBit(0));
    assertEquals(2, FuseConstantPass.getBit(0.5));
    assertEquals(2, FuseConstantPass.getBit(1));
    assertEquals(3, FuseConstantPass.getBit(2));
    assertEquals(8, FuseConstantPass.getBit(127));
    assertEquals(9, FuseConstantPass.getBit(128));
    assertEquals(9, FuseConstantPass.getBit(floats(new long[] {3}, -200f, 3f, 100f)));
  }

  @Test
  void paramsUniqueKeepsOnlyReferencedParametersInGraphOrder() {
    Node y = op("broadcast_add", "y", a(), op("broadcast_mul", "m", a(), input("data", 1, 2), var("s")), var("b"));
    Model m = model(params("unused", values(1, 2), "b", values(2, 2), "s", values(3, 2)), y);
    Model out = new ParamsUniquePass().apply(m, CTX);
    assertEquals(List.of("s", "b"), List.copyOf(out.params().keySet()));
  }

  @Test
  void graphTransformerGivesNewNodesUniqueNamesAndCountsConsumers() {
    Node x = input("data", 1, 3);
    Node r = op("relu", "r", a(), x);
    Node n1 = op("negative", "n", a(), r);
    Node n2 = op("elemwise_add", "add", a(), r, n1);
    Model m = model(params("r_c", values(1, 3)), n2);
    int[] consumersOfR = new int[1];
    Model out = GraphTransformer.transform(m, CTX.ops(), step -> {
      if (step.node().name().equals("n")) {
        consumersOfR[0] = step.consumers(step.input(0));
        Node c = step.op("negative", "r", Attrs.empty(), step.input(0));
        Node d = step.op("negative", "r_c", Attrs.empty(), c.out());
        return List.of(step.op("relu", "n", Attrs.empty(), d.out()).out());
      }
      return step.unchanged();
    });
    assertEquals(2, consumersOfR[0]);
    assertEquals(lines(
        "data = input {__shape__=(1, 3)}",
        "r = relu(data)",
        "r_1 = negative(r)",
        "r_c_1 = negative(r_1)",
        "n = relu(r_c_1)",
        "add = elemwise_add(r, n)",
        "heads add"), text(out));
    assertTrue(out.graph().node("r").get() == r, "an unchanged node stays the same object");
  }

  @Test
  void graphTransformerInfersShapesOfNewNodes() {
    Node x = input("data", 2, 3);
    Model m = model(Map.of(), op("relu", "r", a(), x));
    Model out = GraphTransformer.transform(m, CTX.ops(), step -> {
      if (step.node().isVariable()) {
        return step.unchanged();
      }
      Node t = step.op("transpose", "t", Attrs.of("axes", "(1, 0)"), step.input(0));
      Node s = step.op("sum", "s", Attrs.of("axis", "(1,)", "keepdims", "True"), t.out());
      assertEquals("(3, 1)", step.shapeOf(s.out()).toString());
      return List.of(s.out());
    });
    assertEquals(List.of("data", "t", "s"), out.graph().nodes().stream().map(Node::name).toList());
  }

  @Test
  void graphTransformerRefusesAVisitThatReturnsTheWrongNumberOfEntries() {
    Model m = model(Map.of(), op("relu", "r", a(), input("data", 1)));
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> GraphTransformer.transform(m, CTX.ops(), step -> List.<Entry>of()));
    assertTrue(e.getMessage().startsWith("a pass visiting node data (null) returned []"), e.getMessage());
  }

  @Test
  void fuseConstantEvaluatesAnOpWithoutInputs() {
    java.util.List<io.mrt.runtime.registry.OpSource> sources = new java.util.ArrayList<>(
        io.mrt.runtime.registry.OpTable.classPathSources());
    sources.add(io.mrt.runtime.registry.OpSource.ofClassPath(new io.mrt.runtime.registry.HandWrittenRegistry(
        "test-ops", "_fives", null, null, ctx -> List.of(org.nd4j.linalg.factory.Nd4j.valueArrayOf(new long[] {3}, 5f)))));
    PassContext ctx = new PassContext(io.mrt.runtime.registry.OpTable.merge(sources, Map.of()));
    Node fives = op("_fives", "fives", a());
    Model m = model(Map.of(), op("broadcast_mul", "y", a(), input("data", 2, 3), fives));
    Model out = new FuseConstantPass().apply(m, ctx);
    assertEquals(lines(
        "data = input {__shape__=(2, 3)}",
        "fives = param (3,) {precision=4}",
        "y = broadcast_mul(data, fives)",
        "heads y"), text(out));
  }
}
