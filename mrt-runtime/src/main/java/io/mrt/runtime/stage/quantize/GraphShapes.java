package io.mrt.runtime.stage.quantize;

import io.mrt.api.graph.Attrs;
import io.mrt.api.graph.Entry;
import io.mrt.api.graph.Node;
import io.mrt.api.graph.Shape;
import io.mrt.api.hook.InferShapeHook;
import io.mrt.api.hook.OpException;
import io.mrt.api.hook.ShapeContext;
import io.mrt.api.registry.HookType;
import io.mrt.runtime.MrtException;
import io.mrt.runtime.registry.OpTable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Shapes of the entries of a graph under construction, inferred on demand through the ops'
 * {@code inferShape} hooks and memoized. Variables take the shape of their parameter value, or the
 * input shape.
 */
final class GraphShapes {
  private final OpTable ops;
  private final Function<String, INDArray> params;
  private final Map<String, Shape> inputShapes;
  private final Map<Entry, Shape> memo = new HashMap<>();

  GraphShapes(OpTable ops, Function<String, INDArray> params, Map<String, Shape> inputShapes) {
    this.ops = ops;
    this.params = params;
    this.inputShapes = inputShapes;
  }

  Shape of(Entry e) {
    Shape s = memo.get(e);
    if (s != null) {
      return s;
    }
    Node n = e.node();
    if (n.isVariable()) {
      INDArray v = params.apply(n.name());
      if (v != null) {
        s = Shape.of(v.shape());
      } else {
        s = inputShapes.get(n.name());
        if (s == null) {
          s = declaredShape(n);
        }
      }
    } else {
      List<Shape> in = new ArrayList<>();
      for (Entry i : n.inputs()) {
        in.add(of(i));
      }
      InferShapeHook hook = ops.hook(HookType.INFER_SHAPE, n).orElseThrow(() -> new MrtException(
          "node " + n.name() + " (" + n.op() + "): the op has no inferShape hook"));
      Attrs attrs = ops.attrsOf(n);
      List<Shape> outs;
      try {
        outs = hook.inferShape(new ShapeContext() {
          @Override
          public Node node() {
            return n;
          }

          @Override
          public Attrs attrs() {
            return attrs;
          }

          @Override
          public List<Shape> inputShapes() {
            return in;
          }
        });
      } catch (OpException ex) {
        throw new MrtException(ex.getMessage(), ex);
      }
      for (int i = 0; i < outs.size(); i++) {
        memo.put(new Entry(n, i), outs.get(i));
      }
      s = outs.get(e.index());
    }
    memo.put(e, s);
    return s;
  }

  /** The {@code __shape__} (or {@code shape}) attribute of an input variable. */
  static Shape declaredShape(Node n) {
    String v = n.attrs().raw("__shape__").or(() -> n.attrs().raw("shape")).orElseThrow(() -> new MrtException(
        "input " + n.name() + " has no shape: give the input shape (PREPARE.INPUT_SHAPE) or a __shape__ attribute"));
    return Shape.of(Attrs.parseLongs("__shape__", v));
  }
}
