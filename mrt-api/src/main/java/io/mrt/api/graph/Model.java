package io.mrt.api.graph;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A graph and its parameters: a variable node whose name is a key of {@link #params()} is a
 * parameter, every other variable is an input. Immutable (the arrays themselves are shared, never
 * written in place).
 */
public final class Model {
  private final Graph graph;
  private final Map<String, INDArray> params;

  /** A model; the parameter map is copied, keeping its order. */
  public Model(Graph graph, Map<String, INDArray> params) {
    this.graph = graph;
    this.params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
  }

  /** The graph. */
  public Graph graph() {
    return graph;
  }

  /** The parameters by variable name. */
  public Map<String, INDArray> params() {
    return params;
  }

  /** Whether {@code node} is a parameter (a variable with a value). */
  public boolean isParam(Node node) {
    return node.isVariable() && params.containsKey(node.name());
  }

  /** The names of the input variables (variables without a value), in graph order. */
  public Set<String> inputNames() {
    Set<String> names = new java.util.LinkedHashSet<>();
    for (Node n : graph.variables()) {
      if (!params.containsKey(n.name())) {
        names.add(n.name());
      }
    }
    return names;
  }

  /** The same parameters with another graph. */
  public Model withGraph(Graph g) {
    return new Model(g, params);
  }
}
