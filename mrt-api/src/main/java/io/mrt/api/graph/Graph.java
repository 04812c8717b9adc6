package io.mrt.api.graph;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A directed acyclic graph of {@link Node}s, given by its output entries (heads). The node list is
 * the deterministic topological order reached from the heads (inputs before users, inputs visited
 * in order), the order in which MXNet writes nodes. Immutable.
 */
public final class Graph {
  private final List<Entry> heads;
  private final List<Node> nodes;
  private final Map<String, Node> byName;

  /** A graph with the given outputs. */
  public Graph(List<Entry> heads) {
    this.heads = List.copyOf(heads);
    this.nodes = Collections.unmodifiableList(topoOrder(this.heads));
    Map<String, Node> names = new LinkedHashMap<>();
    for (Node n : nodes) {
      names.putIfAbsent(n.name(), n);
    }
    this.byName = Collections.unmodifiableMap(names);
  }

  /** A graph with the given outputs. */
  public static Graph of(Entry... heads) {
    return new Graph(List.of(heads));
  }

  private static List<Node> topoOrder(List<Entry> heads) {
    List<Node> order = new ArrayList<>();
    Set<Node> done = Collections.newSetFromMap(new IdentityHashMap<>());
    Set<Node> onStack = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Entry h : heads) {
      if (done.contains(h.node())) {
        continue;
      }
      // iterative post-order DFS: deep graphs must not overflow the stack
      Deque<Object[]> stack = new ArrayDeque<>();
      stack.push(new Object[] {h.node(), 0});
      onStack.add(h.node());
      while (!stack.isEmpty()) {
        Object[] top = stack.peek();
        Node n = (Node) top[0];
        int i = (Integer) top[1];
        if (i < n.inputs().size()) {
          top[1] = i + 1;
          Node child = n.inputs().get(i).node();
          if (done.contains(child)) {
            continue;
          }
          if (onStack.contains(child)) {
            throw new IllegalArgumentException("graph has a cycle through node " + child.name());
          }
          onStack.add(child);
          stack.push(new Object[] {child, 0});
        } else {
          stack.pop();
          onStack.remove(n);
          done.add(n);
          order.add(n);
        }
      }
    }
    return order;
  }

  /** The outputs of the graph. */
  public List<Entry> heads() {
    return heads;
  }

  /** Every node, in topological order. */
  public List<Node> nodes() {
    return nodes;
  }

  /** The node with this name, if any. */
  public Optional<Node> node(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  /** The variable nodes, in topological order. */
  public List<Node> variables() {
    return nodes.stream().filter(Node::isVariable).toList();
  }

  /** The op (non-variable) nodes, in topological order. */
  public List<Node> ops() {
    return nodes.stream().filter(n -> !n.isVariable()).toList();
  }

  /** For every node, the nodes that read one of its outputs (in topological order). */
  public Map<Node, List<Node>> users() {
    Map<Node, List<Node>> users = new IdentityHashMap<>();
    for (Node n : nodes) {
      users.putIfAbsent(n, new ArrayList<>());
      for (Entry e : n.inputs()) {
        users.computeIfAbsent(e.node(), k -> new ArrayList<>()).add(n);
      }
    }
    return users;
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder();
    for (Node n : nodes) {
      b.append(n.name()).append(" = ").append(n.op());
      if (!n.attrs().asMap().isEmpty()) {
        b.append(n.attrs());
      }
      b.append(n.inputs()).append('\n');
    }
    return b.append("heads ").append(heads).toString();
  }
}
