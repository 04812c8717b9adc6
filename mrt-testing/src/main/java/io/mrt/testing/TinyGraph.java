package io.mrt.testing;

import io.mrt.api.graph.Attrs;
import io.mrt.api.graph.Entry;
import io.mrt.api.graph.Graph;
import io.mrt.api.graph.Node;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the few nodes of a hook test, checking what the runtime's name check checks: every node
 * name is used once.
 *
 * <pre>{@code
 * TinyGraph g = new TinyGraph();
 * Entry x = g.input("x");
 * Node act = g.op("Activation", "act1", Attrs.of("act_type", "tanh"), x);
 * Graph graph = g.graph(act.out());   // x, act1
 * }</pre>
 */
public final class TinyGraph {
  private final Map<String, Node> nodes = new LinkedHashMap<>();

  /** One op node on a fresh input variable named {@code x}: the usual subject of a hook test. */
  public static Node unary(String op, String name, Attrs attrs) {
    TinyGraph g = new TinyGraph();
    return g.op(op, name, attrs, g.input("x"));
  }

  /** A variable (the data input or a parameter) named {@code name}, with no attributes. */
  public Entry input(String name) {
    return add(Node.variable(name, Attrs.empty())).out();
  }

  /** A single-output op node on {@code inputs}. */
  public Node op(String op, String name, Attrs attrs, Entry... inputs) {
    return add(Node.op(op, name, attrs, inputs));
  }

  /** An op node with {@code numOutputs} outputs on {@code inputs}. */
  public Node op(String op, String name, Attrs attrs, int numOutputs, Entry... inputs) {
    return add(new Node(op, name, attrs, List.of(inputs), numOutputs));
  }

  /** The node named {@code name}. */
  public Node node(String name) {
    Node n = nodes.get(name);
    if (n == null) {
      throw new IllegalArgumentException("no node named " + name + "; the nodes: " + nodes.keySet());
    }
    return n;
  }

  /** The nodes built so far, in the order they were built. */
  public List<Node> nodes() {
    return Collections.unmodifiableList(new ArrayList<>(nodes.values()));
  }

  /** The graph whose outputs are {@code heads} (its nodes in MXNet's topological order). */
  public Graph graph(Entry... heads) {
    return Graph.of(heads);
  }

  private Node add(Node n) {
    if (nodes.containsKey(n.name())) {
      throw new IllegalArgumentException("node name " + n.name() + " is used twice (" + nodes.get(n.name()).op()
          + " and " + n.op() + "); MRT refuses a graph whose node names repeat");
    }
    nodes.put(n.name(), n);
    return n;
  }
}
