package io.mrt.runtime.exec.fp;

import io.mrt.api.graph.AttrException;
import io.mrt.api.graph.Attrs;
import io.mrt.api.graph.Entry;
import io.mrt.api.graph.Graph;
import io.mrt.api.graph.Model;
import io.mrt.api.graph.Node;
import io.mrt.api.graph.Shape;
import io.mrt.api.hook.InferShapeHook;
import io.mrt.api.hook.OpException;
import io.mrt.api.registry.HookType;
import io.mrt.runtime.MrtException;
import io.mrt.runtime.registry.OpFailure;
import io.mrt.runtime.registry.OpTable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Infers the shape of every entry of a graph through the ops' {@code inferShape} hooks, in
 * topological order. A parameter's shape is its value's; an input's comes from the given shapes,
 * else from its {@code __shape__} attribute when every dimension is known. An op without an
 * implementation, without an {@code inferShape} hook, or whose hook refuses its inputs is an
 * {@link MrtException} naming the node.
 */
public final class ShapeInference {
  private ShapeInference() {}

  /** The shapes of a model's entries, with the given input shapes (by variable name). */
  public static Map<Entry, Shape> infer(Model model, Map<String, Shape> inputShapes) {
    return infer(model, inputShapes, OpTable.load());
  }

  /** The shapes of a model's entries with an explicit op table. */
  public static Map<Entry, Shape> infer(Model model, Map<String, Shape> inputShapes, OpTable ops) {
    Map<String, Shape> vars = new LinkedHashMap<>();
    for (Map.Entry<String, INDArray> p : model.params().entrySet()) {
      vars.put(p.getKey(), Shape.of(p.getValue().shape()));
    }
    vars.putAll(inputShapes);
    return infer(model.graph(), vars, ops);
  }

  /** The shapes of a graph's entries given the shape of every variable (by name). */
  public static Map<Entry, Shape> infer(Graph graph, Map<String, Shape> variableShapes, OpTable ops) {
    Map<Entry, Shape> shapes = new LinkedHashMap<>();
    for (Node n : graph.nodes()) {
      if (n.isVariable()) {
        shapes.put(n.out(), variableShape(n, variableShapes));
        continue;
      }
      List<Shape> in = new ArrayList<>(n.inputs().size());
      for (Entry e : n.inputs()) {
        Shape s = shapes.get(e);
        if (s == null) {
          throw new MrtException("node " + n.name() + " (" + n.op() + "): input " + e + " has no shape (output "
              + e.index() + " of a node with fewer outputs)");
        }
        in.add(s);
      }
      List<Shape> out = run(n, in, ops);
      for (int i = 0; i < n.numOutputs(); i++) {
        shapes.put(n.out(i), out.get(i));
      }
    }
    return Collections.unmodifiableMap(shapes);
  }

  /** Runs one node's inferShape hook, checking the number of outputs. */
  public static List<Shape> run(Node n, List<Shape> inputShapes, OpTable ops) {
    Optional<InferShapeHook> hook = ops.hook(HookType.INFER_SHAPE, n);
    if (hook.isEmpty()) {
      throw new MrtException("node " + n.name() + " (" + n.op() + "): the op has no inferShape hook");
    }
    Attrs attrs = ops.attrsOf(n);
    List<Shape> out;
    try {
      out = hook.get().inferShape(new HookContexts.Shapes(n, attrs, List.copyOf(inputShapes)));
    } catch (OpException | OpFailure e) {
      throw new MrtException(e.getMessage() + inputsText(inputShapes), e);
    } catch (AttrException e) {
      throw new MrtException("node " + n.name() + " (" + n.op() + "): " + e.getMessage(), e);
    }
    if (out == null || out.size() < n.numOutputs()) {
      throw new MrtException("node " + n.name() + " (" + n.op() + "): inferShape gave "
          + (out == null ? 0 : out.size()) + " shapes, the graph uses " + n.numOutputs() + " outputs");
    }
    for (int i = 0; i < n.numOutputs(); i++) {
      checkSize(n, i, out.get(i), inputShapes);
    }
    return out;
  }

  /** The most elements a tensor may hold (a Java array's limit). */
  public static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;

  /**
   * Refuses an inferred shape with a negative dimension or more than {@link #MAX_ELEMENTS}
   * elements, naming the node that produced it (not the one that would overflow on it later).
   */
  private static void checkSize(Node n, int output, Shape s, List<Shape> in) {
    if (s == null) {
      throw new MrtException("node " + n.name() + " (" + n.op() + "): inferShape gave no shape for output " + output);
    }
    long count = 1;
    for (long d : s.dims()) {
      if (d < 0) {
        throw new MrtException("node " + n.name() + " (" + n.op() + "): output " + output + " has the negative "
            + "dimension " + d + " in " + s + inputsText(in));
      }
      if (d != 0 && count > MAX_ELEMENTS / d) {
        throw new MrtException("node " + n.name() + " (" + n.op() + "): output " + output + " shape " + s
            + " has more than " + MAX_ELEMENTS + " elements" + inputsText(in) + "; check the node's attributes");
      }
      count *= d;
    }
  }

  private static String inputsText(List<Shape> in) {
    return in.isEmpty() ? "" : " (input shapes " + in + ")";
  }

  private static Shape variableShape(Node n, Map<String, Shape> given) {
    Shape s = given.get(n.name());
    if (s != null) {
      return s;
    }
    Optional<String> hint = n.attrs().raw("__shape__");
    if (hint.isPresent()) {
      long[] d;
      try {
        d = Attrs.parseLongs("__shape__", hint.get());
      } catch (AttrException e) {
        throw new MrtException("node " + n.name() + ": " + e.getMessage(), e);
      }
      boolean known = d.length > 0;
      for (long x : d) {
        known &= x > 0;
      }
      if (known) {
        return Shape.of(d);
      }
    }
    throw new MrtException("node " + n.name() + ": the input has no shape: give one (e.g. --input-shape or "
        + "INPUT_SHAPE)" + hint.map(h -> "; its __shape__ " + h + " has unknown dimensions").orElse(""));
  }
}
