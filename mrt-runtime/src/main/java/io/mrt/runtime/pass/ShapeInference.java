package io.mrt.runtime.pass;

import io.mrt.api.graph.Entry;
import io.mrt.api.graph.Model;
import io.mrt.api.graph.Node;
import io.mrt.api.graph.Shape;
import io.mrt.runtime.registry.OpTable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Infers the shape of every node output of a model through the ops' {@code inferShape} hooks. */
public final class ShapeInference {
  private ShapeInference() {}

  /**
   * The output shapes of every node, by node name, in topological order. Inputs take their shape
   * from {@code inputShapes} (by name) or from their {@code __shape__} attribute; a missing shape
   * or an inconsistent node is an {@link io.mrt.runtime.MrtException} naming the node.
   */
  public static Map<String, List<Shape>> infer(Model model, OpTable ops, Map<String, Shape> inputShapes) {
    ShapeMap shapes = new ShapeMap(ops, model.params()::get, inputShapes);
    Map<String, List<Shape>> out = new LinkedHashMap<>();
    for (Node n : model.graph().nodes()) {
      out.put(n.name(), shapes.of(n));
    }
    return out;
  }

  /** The shapes of the model's outputs. */
  public static List<Shape> outputShapes(Model model, OpTable ops, Map<String, Shape> inputShapes) {
    ShapeMap shapes = new ShapeMap(ops, model.params()::get, inputShapes);
    return model.graph().heads().stream().map(shapes::of).toList();
  }

  /** The shape declared on a variable by its {@code __shape__} attribute, if complete. */
  public static Optional<Shape> declaredShape(Node variable) {
    return ShapeMap.declaredShape(variable);
  }

  /** The shape of one entry. */
  public static Shape shapeOf(Model model, OpTable ops, Entry e) {
    return new ShapeMap(ops, model.params()::get, Map.of()).of(e);
  }
}
