package io.mrt.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mrt.api.graph.Attrs;
import io.mrt.api.graph.Entry;
import io.mrt.api.graph.Graph;
import io.mrt.api.graph.Node;
import java.util.List;
import org.junit.jupiter.api.Test;

class TinyGraphTest {
  @Test
  void unaryIsOneOpNodeOnAnInputVariableNamedX() {
    Node n = TinyGraph.unary("Activation", "act1", Attrs.of("act_type", "tanh"));
    assertEquals("Activation", n.op());
    assertEquals("act1", n.name());
    assertEquals("tanh", n.attrs().getString("act_type"));
    assertEquals(1, n.inputs().size());
    assertEquals("x", n.input(0).node().name());
    assertEquals(true, n.input(0).node().isVariable());
  }

  @Test
  void graphListsTheNodesInputsFirstAndFindsThemByName() {
    TinyGraph g = new TinyGraph();
    Entry x = g.input("x");
    Entry w = g.input("w");
    Node fc = g.op("FullyConnected", "fc", Attrs.of("num_hidden", "4", "no_bias", "True"), x, w);
    Node act = g.op("Activation", "act", Attrs.of("act_type", "tanh"), fc.out());
    Graph graph = g.graph(act.out());
    assertEquals(List.of("x", "w", "fc", "act"), graph.nodes().stream().map(Node::name).toList());
    assertEquals(List.of("x", "w", "fc", "act"), g.nodes().stream().map(Node::name).toList());
    assertSame(fc, g.node("fc"));
    assertEquals(List.of(act.out()), graph.heads());
  }

  @Test
  void aMultiOutputNodeHasOneEntryPerOutput() {
    TinyGraph g = new TinyGraph();
    Node split = g.op("SliceChannel", "split", Attrs.of("num_outputs", "2"), 2, g.input("x"));
    assertEquals(2, split.numOutputs());
    assertEquals(1, split.out(1).index());
  }

  @Test
  void aNodeNameUsedTwiceIsRefusedAsTheRuntimesNameCheckDoes() {
    TinyGraph g = new TinyGraph();
    Entry x = g.input("x");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> g.op("relu", "x", Attrs.empty(), x));
    assertEquals("node name x is used twice (null and relu); MRT refuses a graph whose node names repeat",
        e.getMessage());
    assertEquals("no node named y; the nodes: [x]",
        assertThrows(IllegalArgumentException.class, () -> g.node("y")).getMessage());
  }
}
