package io.mrt.runtime.pass;

import io.mrt.api.graph.AttrException;
import io.mrt.api.graph.Attrs;
import io.mrt.api.graph.Entry;
import io.mrt.api.graph.Node;
import io.mrt.api.graph.Shape;
import io.mrt.runtime.MrtException;
import io.mrt.runtime.exec.fp.ShapeInference;
import io.mrt.runtime.registry.OpTable;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Output shapes of nodes, inferred on demand through the ops' {@code inferShape} hooks and
 * remembered per node (by identity). A parameter's shape is its value's shape; an input's shape is
 * given by name or declared by its {@code __shape__} attribute (what input shape attachment
 * writes). Deep graphs are walked iteratively.
 */
final class ShapeMap {
  /** The variable attribute that declares a shape, as MXNet writes it. */
  static final String SHAPE_ATTR = "__shape__";

  private final OpTable ops;
  private final Function<String, INDArray> params;
  private final Map<String, Shape> inputShapes;
  private final Map<Node, List<Shape>> shapes = new IdentityHashMap<>();

  /**
   * Shapes over the given parameter lookup ({@code null} for an input) and explicit input shapes
   * by name (which take precedence over {@code __shape__}).
   */
  ShapeMap(OpTable ops, Function<String, INDArray> params, Map<String, Shape> inputShapes) {
    this.ops = ops;
    this.params = params;
    this.inputShapes = inputShapes;
  }

  /** The declared shape of a variable: its {@code __shape__} attribute, when complete. */
  static Optional<Shape> declaredShape(Node var) {
    Optional<String> raw = var.attrs().raw(SHAPE_ATTR);
    if (raw.isEmpty()) {
      return Optional.empty();
    }
    long[] dims;
    try {
      dims = Attrs.parseLongs(SHAPE_ATTR, raw.get());
    } catch (AttrException e) {
      throw new MrtException("variable " + var.name() + ": " + e.getMessage());
    }
    for (long d : dims) {
      if (d <= 0) {
        return Optional.empty();
      }
    }
    return Optional.of(Shape.of(dims));
  }

  /** The shape of an entry. */
  Shape of(Entry e) {
    List<Shape> s = of(e.node());
    if (e.index() >= s.size()) {
      throw new MrtException("node " + e.node().name() + " (" + e.node().op() + ") has " + s.size()
          + " outputs, but output " + e.index() + " is used");
    }
    return s.get(e.index());
  }

  /** The output shapes of a node, inferring those of its producers first. */
  List<Shape> of(Node node) {
    List<Shape> known = shapes.get(node);
    if (known != null) {
      return known;
    }
    Deque<Node> stack = new ArrayDeque<>();
    stack.push(node);
    while (!stack.isEmpty()) {
      Node n = stack.peek();
      if (shapes.containsKey(n)) {
        stack.pop();
        continue;
      }
      boolean ready = true;
      for (Entry in : n.inputs()) {
        if (!shapes.containsKey(in.node())) {
          stack.push(in.node());
          ready = false;
        }
      }
      if (ready) {
        stack.pop();
        shapes.put(n, compute(n));
      }
    }
    return shapes.get(node);
  }

  /** Records the shapes of a node that are known without inference. */
  void put(Node node, List<Shape> s) {
    shapes.put(node, List.copyOf(s));
  }

  private List<Shape> compute(Node n) {
    if (n.isVariable()) {
      INDArray value = params.apply(n.name());
      if (value != null) {
        return List.of(Shape.of(value.shape()));
      }
      Shape given = inputShapes.get(n.name());
      if (given != null) {
        return List.of(given);
      }
      return List.of(declaredShape(n).orElseThrow(() -> new MrtException("input " + n.name()
          + " has no shape; give one with PREPARE.INPUT_SHAPE (e.g. [-1, 3, 224, 224])")));
    }
    List<Shape> in = new ArrayList<>();
    for (Entry e : n.inputs()) {
      in.add(of(e));
    }
    return infer(ops, n, in);
  }

  /** Runs the node's {@code inferShape} hook on the given input shapes. */
  static List<Shape> infer(OpTable ops, Node n, List<Shape> inputs) {
    return List.copyOf(ShapeInference.run(n, inputs, ops).subList(0, n.numOutputs()));
  }
}
