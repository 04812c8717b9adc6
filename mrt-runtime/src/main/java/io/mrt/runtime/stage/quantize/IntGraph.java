package io.mrt.runtime.stage.quantize;

import io.mrt.api.graph.Attrs;
import io.mrt.api.graph.Entry;
import io.mrt.api.graph.Node;
import io.mrt.api.graph.Shape;
import io.mrt.runtime.registry.OpTable;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The integer graph under construction: parameter values, what is known of each entry, unique
 * names and shapes. Names of the original graph are reserved up front, so nodes a hook creates
 * never take the name of a node still to come.
 */
final class IntGraph {
  final OpTable ops;
  private final Map<String, INDArray> params = new LinkedHashMap<>();
  private final Map<Entry, Info> infos = new HashMap<>();
  private final Set<String> names = new HashSet<>();
  private final Map<String, Integer> counters = new HashMap<>();
  private final GraphShapes shapes;

  IntGraph(OpTable ops, Map<String, INDArray> originalParams, Map<String, Shape> inputShapes) {
    this.ops = ops;
    this.params.putAll(originalParams);
    this.shapes = new GraphShapes(ops, params::get, inputShapes);
  }

  void reserve(String name) {
    names.add(name);
  }

  /** {@code hint} if unused, else {@code hint_1}, {@code hint_2}, ... (deterministic). */
  String uniqueName(String hint) {
    if (names.add(hint)) {
      return hint;
    }
    int k = counters.getOrDefault(hint, 0);
    String n;
    do {
      k++;
      n = hint + "_" + k;
    } while (!names.add(n));
    counters.put(hint, k);
    return n;
  }

  Node op(String op, String nameHint, Attrs attrs, Entry... inputs) {
    return new Node(op, uniqueName(nameHint), attrs, List.of(inputs), 1);
  }

  /** A new parameter variable (its name made unique) holding {@code value}. */
  Node param(String nameHint, INDArray value, Attrs attrs) {
    Node n = Node.variable(uniqueName(nameHint), attrs);
    params.put(n.name(), value);
    return n;
  }

  Optional<INDArray> paramValue(Entry e) {
    return e.node().isVariable() ? Optional.ofNullable(params.get(e.node().name())) : Optional.empty();
  }

  Map<String, INDArray> params() {
    return params;
  }

  Shape shapeOf(Entry e) {
    return shapes.of(e);
  }

  Optional<Info> info(Entry e) {
    return Optional.ofNullable(infos.get(e));
  }

  void describe(Entry e, Info info) {
    infos.put(e, info);
  }
}
