package io.mrt.runtime.pass;

import static io.mrt.runtime.pass.TestGraphs.CTX;
import static io.mrt.runtime.pass.TestGraphs.a;
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
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mrt.api.graph.Attrs;
import io.mrt.api.graph.Model;
import io.mrt.api.graph.Node;
import io.mrt.runtime.MrtException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Model split and merge, and the pass manager's reports. */
class SplitAndManagerTest {
  private static Model twoStage() {
    Node x = input("data", 1, 4);
    Node h = op("broadcast_mul", "h", a(), x, var("s"));
    Node r = op("relu", "r", a(), h);
    Node y = op("broadcast_add", "y", a(), r, var("b"));
    Node z = op("elemwise_add", "z", a(), y, r);
    return model(params("s", values(1, 4), "b", values(2, 4)), z);
  }

  @Test
  void splitCutsAtTheKeysAndTheTopReadsThemAsInputs() {
    ModelSplitter.Split split = ModelSplitter.split(twoStage(), List.of("r"), CTX.ops());
    assertEquals(lines(
        "data = input {__shape__=(1, 4)}",
        "s = param (4,)",
        "h = broadcast_mul(data, s)",
        "r = relu(h)",
        "heads r"), text(split.base()));
    assertEquals(lines(
        "r = input {__shape__=(1, 4)}",
        "b = param (4,)",
        "y = broadcast_add(r, b)",
        "z = elemwise_add(y, r)",
        "heads z"), text(split.top()));
    assertEquals(List.of("s"), List.copyOf(split.base().params().keySet()));
    assertEquals(List.of("b"), List.copyOf(split.top().params().keySet()));
  }

  @Test
  void mergePutsTheBaseBackUnderTheTop() {
    Model m = twoStage();
    ModelSplitter.Split split = ModelSplitter.split(m, List.of("r"), CTX.ops());
    Model merged = ModelSplitter.merge(split.base(), split.top(), Map.of(), null);
    assertEquals(text(m), text(merged));
    INDArray x = values(9, 1, 4);
    assertEquals(0.0, maxDiff(run(m, x).get(0), run(merged, x).get(0)));
  }

  @Test
  void mergeMapsRenamedBaseOutputsAndLetsACallbackChangeTopNodes() {
    ModelSplitter.Split split = ModelSplitter.split(twoStage(), List.of("r"), CTX.ops());
    Node base = split.base().graph().heads().get(0).node();
    Node requant = Node.op("negative", "r_requant", Attrs.empty(), base.out());
    Model quantizedBase = new Model(new io.mrt.api.graph.Graph(List.of(requant.out())), split.base().params());
    Model merged = ModelSplitter.merge(quantizedBase, split.top(), Map.of("r_requant", "r"),
        n -> n.name().equals("y") ? n.withAttrs(n.attrs().with("scaled", "1")) : n);
    assertEquals(lines(
        "data = input {__shape__=(1, 4)}",
        "s = param (4,)",
        "h = broadcast_mul(data, s)",
        "r = relu(h)",
        "r_requant = negative(r)",
        "b = param (4,)",
        "y = broadcast_add(r_requant, b) {scaled=1}",
        "z = elemwise_add(y, r_requant)",
        "heads z"), text(merged));
  }

  @Test
  void splitRefusesUnknownKeys() {
    MrtException e = assertThrows(MrtException.class,
        () -> ModelSplitter.split(twoStage(), List.of("r", "nope", "gone"), CTX.ops()));
    assertEquals("PREPARE.SPLIT_KEYS names [gone, nope], which are not nodes of the prepared model", e.getMessage());
  }

  @Test
  void passManagerRunsPassesInOrderAndReportsWhatEachChanged() {
    Node x = input("data", 1, 2);
    Node c = op("negative", "c", a(), var("w"));
    Node y = op("_mul_scalar", "y", a("scalar", "2"), op("broadcast_add", "add", a(), x, c));
    Model m = model(params("w", values(1, 2), "unused", values(2, 2)), y);
    PassManager pm = new PassManager(List.of(new FuseConstantPass(), new RewritePass(), new ParamsUniquePass()));
    Model out = pm.run(m, CTX);
    assertEquals(List.of("fuse_constant", "rewrite", "params_unique"), pm.names());
    assertEquals(List.of(
        "fuse_constant: -1 +0 ~1 nodes (2 ops, 3 params)",
        "rewrite: -0 +1 ~1 nodes (2 ops, 4 params)",
        "params_unique: no change (2 ops, 2 params)"),
        pm.reports().stream().map(r -> r.summary().replaceAll(", \\d+ ms\\)", ")")).toList());
    assertEquals(List.of("w"), pm.reports().get(0).removed());
    assertEquals(List.of("c"), pm.reports().get(0).changed());
    assertEquals(List.of("y_scalar"), pm.reports().get(1).added());
    assertEquals(List.of("c", "y_scalar"), List.copyOf(out.params().keySet()));
  }
}
