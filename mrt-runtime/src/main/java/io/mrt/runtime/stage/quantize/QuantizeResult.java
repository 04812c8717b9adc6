package io.mrt.runtime.stage.quantize;

import io.mrt.api.graph.Model;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The quantized model and what the later stages need to use it.
 *
 * @param model the integer graph (every node has a {@code precision} attribute, except the float
 *     parameters of restored nodes) and its parameters (float64 arrays of integers)
 * @param oldNames the names of the original model's outputs, in output order (MRT's
 *     {@code old_names}): output {@code i} of {@code model} stands for {@code oldNames[i]}
 * @param thresholds node name to float threshold, for every node of the new graph that has one
 * @param precisions node name to the precision of its output 0 (the CVM precision rules)
 * @param scales node name to scale, for every integer node
 * @param outputScales the scale of each output: {@code float ~= int / scale} (MRT's oscales)
 * @param inputName the input variable (MRT: {@code data})
 * @param inputScale the input's scale: feed {@code clip(round(x * scale), +-R(p))}
 * @param inputPrecision the input's precision p
 * @param restored the names of the nodes left in float (RESTORE_NAMES)
 * @param represents for every op node of the float graph, the node of the quantized graph whose
 *     output 0 stands for it ({@code float ~= int / scale} of that node)
 */
public record QuantizeResult(
    Model model,
    List<String> oldNames,
    Map<String, Double> thresholds,
    Map<String, Integer> precisions,
    Map<String, Double> scales,
    List<Double> outputScales,
    String inputName,
    double inputScale,
    int inputPrecision,
    Set<String> restored,
    Map<String, String> represents) {

  /** Copies the collections, keeping their order. */
  public QuantizeResult {
    oldNames = List.copyOf(oldNames);
    thresholds = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(thresholds));
    precisions = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(precisions));
    scales = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(scales));
    outputScales = List.copyOf(outputScales);
    restored = java.util.Collections.unmodifiableSet(new LinkedHashSet<>(restored));
    represents = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(represents));
  }

  /** Whether every node is integer (nothing restored): the graph can be compiled to the CVM. */
  public boolean isInteger() {
    return restored.isEmpty();
  }
}
