package io.mrt.runtime.pass;

import static io.mrt.runtime.pass.TestGraphs.CTX;
import static io.mrt.runtime.pass.TestGraphs.a;
import static io.mrt.runtime.pass.TestGraphs.floats;
import static io.mrt.runtime.pass.TestGraphs.lines;
import static io.mrt.runtime.pass.TestGraphs.model;
import static io.mrt.runtime.pass.TestGraphs.op;
import static io.mrt.runtime.pass.TestGraphs.params;
import static io.mrt.runtime.pass.TestGraphs.text;
import static io.mrt.runtime.pass.TestGraphs.var;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mrt.api.graph.Model;
import io.mrt.api.graph.Node;
import io.mrt.runtime.MrtException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The passes of {@code fix_original_model} and the name check. */
class FixOriginalPassesTest {
  @Test
  void unifyNamesRenamesRepeatedOpNamesWithOneGlobalCounterAndMergesRepeatedVariables() {
    Node x1 = var("x");
    Node x2 = var("x");
    Node r1 = op("relu", "r", a(), x1);
    Node r2 = op("relu", "r", a(), x2);
    Node s1 = op("negative", "s", a(), r1);
    Node s2 = op("negative", "s", a(), r2);
    Node add = op("elemwise_add", "r", a(), s1, s2);
    Model out = new UnifyNamesPass().apply(model(Map.of(), add), CTX);
    assertEquals(lines(
        "x = input",
        "r = relu(x)",
        "s = negative(r)",
        "r_0 = relu(x)",
        "s_1 = negative(r_0)",
        "r_2 = elemwise_add(s, s_1)",
        "heads r_2"), text(out));
  }

  @Test
  void unifyNamesSkipsCandidatesThatAreAlreadyNames() {
    Node x = var("x");
    Node r = op("relu", "r", a(), x);
    Node r0 = op("relu", "r_0", a(), r);
    Node again = op("relu", "r", a(), r0);
    Model out = new UnifyNamesPass().apply(model(Map.of(), again), CTX);
    assertEquals(lines("x = input", "r = relu(x)", "r_0 = relu(r)", "r_1 = relu(r_0)", "heads r_1"), text(out));
  }

  @Test
  void unifyNamesKeepsAModelWithUniqueNames() {
    Model m = model(Map.of(), op("relu", "r", a(), var("x")));
    assertSame(m, new UnifyNamesPass().apply(m, CTX));
  }

  @Test
  void removeParamsPrefixStripsArgAndAuxKeepingOrder() {
    Node w = var("w");
    Node m = var("m");
    Node b = var("b");
    Node y = op("BatchNorm", "bn", a(), var("data"), w, b, m, var("v"));
    Model in = model(params("arg:w", floats(new long[] {1}, 1), "aux:m", floats(new long[] {1}, 2),
        "b", floats(new long[] {1}, 3), "aux:v", floats(new long[] {1}, 4)), y);
    Model out = new RemoveParamsPrefixPass().apply(in, CTX);
    assertEquals(List.of("w", "m", "b", "v"), List.copyOf(out.params().keySet()));
    assertEquals(2f, out.params().get("m").getFloat(0));
    assertEquals(Map.of("data", 0).keySet(), out.inputNames());
  }

  @Test
  void removeParamsPrefixRefusesTwoKeysThatBecomeOneName() {
    Model in = model(params("arg:w", floats(new long[] {1}, 1), "aux:w", floats(new long[] {1}, 2)),
        op("relu", "r", a(), var("w")));
    MrtException e = assertThrows(MrtException.class, () -> new RemoveParamsPrefixPass().apply(in, CTX));
    assertEquals("parameters 'arg:w' and 'aux:w' both become 'w' without their arg:/aux: prefix; expected unique"
        + " parameter names", e.getMessage());
  }

  @Test
  void nameCheckRefusesDuplicatedNames() {
    Node x = var("x");
    Model m = model(Map.of(), op("elemwise_add", "y", a(), op("relu", "r", a(), x), op("negative", "r", a(), x)));
    MrtException e = assertThrows(MrtException.class, () -> new NameCheckPass().apply(m, CTX));
    assertTrue(e.getMessage().startsWith("duplicated node names in the graph: [r]"), e.getMessage());
  }

  @Test
  void nameCheckAcceptsUniqueNames() {
    Model m = model(Map.of(), op("relu", "r", a(), var("x")));
    assertSame(m, new NameCheckPass().apply(m, CTX));
  }
}
