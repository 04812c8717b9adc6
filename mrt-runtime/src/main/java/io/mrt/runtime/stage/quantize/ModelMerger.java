package io.mrt.runtime.stage.quantize;

import io.mrt.api.graph.Attrs;
import io.mrt.api.graph.Entry;
import io.mrt.api.graph.Model;
import io.mrt.api.graph.Node;
import io.mrt.runtime.MrtException;
import io.mrt.runtime.pass.ModelSplitter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * MRT's {@code merge_model} for a split model, on {@link ModelSplitter#merge}'s rewiring: the quantized base takes the place of the top
 * model's input variables named after the base outputs (the split keys); the top stays float.
 * ATTRIBUTE_DEPS multiplies named integer attributes of top ops by a base output's scale
 * ({@code int(value * oscale)}, truncated as Python's {@code int}); OSCALE_MAPS gives the merged
 * outputs' scales (a base output's scale, or 1 for {@code "None"}).
 */
public final class ModelMerger {
  private ModelMerger() {}

  /** The merged model and its output scales. */
  public record Merged(Model model, List<Double> outputScales) {
    /** Copies the scales. */
    public Merged {
      outputScales = List.copyOf(outputScales);
    }
  }

  /**
   * Merges {@code base} (quantized) under {@code top} (float).
   *
   * @throws MrtException when a dependency or map names an unknown output, or OSCALE_MAPS is empty
   */
  public static Merged merge(QuantizeResult base, Model top, Map<String, Map<String, String>> attributeDeps,
      Map<String, String> oscaleMaps) {
    Map<String, Entry> baseOutputs = new HashMap<>();
    Map<String, Double> baseScales = new HashMap<>();
    List<Entry> heads = base.model().graph().heads();
    for (int i = 0; i < heads.size(); i++) {
      baseOutputs.put(base.oldNames().get(i), heads.get(i));
      baseScales.put(base.oldNames().get(i), base.outputScales().get(i));
    }
    Map<String, Node> baseNames = new HashMap<>();
    for (Node n : base.model().graph().nodes()) {
      baseNames.put(n.name(), n);
    }
    for (Node n : top.graph().nodes()) {
      boolean replaced = n.isVariable() && baseOutputs.containsKey(n.name()) && !top.isParam(n);
      if (!replaced && baseNames.containsKey(n.name())) {
        throw new MrtException("merge: top node " + n.name() + " has the name of a node of the quantized base");
      }
    }
    Model merged = ModelSplitter.merge(baseOutputs, base.model().params(), top, n -> {
      Map<String, String> deps = attributeDeps.get(n.op());
      if (deps == null) {
        return n;
      }
      Attrs attrs = n.attrs();
      for (Map.Entry<String, String> d : deps.entrySet()) {
        Double s = baseScales.get(d.getValue());
        if (s == null) {
          throw new MrtException("QUANTIZE.ATTRIBUTE_DEPS: " + n.op() + "." + d.getKey() + " names '" + d.getValue()
              + "', which is not an output of the base model " + base.oldNames());
        }
        double v = attrs.getDouble(d.getKey(), 0);
        attrs = attrs.with(d.getKey(), String.valueOf((long) (v * s)));
      }
      return new Node(n.op(), n.name(), attrs, n.inputs(), n.numOutputs());
    });
    if (oscaleMaps.isEmpty()) {
      throw new MrtException("merging a split model needs QUANTIZE.OSCALE_MAPS ([[top_output, base_output or None], ...])");
    }
    List<Double> scales = new ArrayList<>();
    for (Map.Entry<String, String> m : oscaleMaps.entrySet()) {
      if (m.getValue().equals("None")) {
        scales.add(1.0);
      } else {
        Double s = baseScales.get(m.getValue());
        if (s == null) {
          throw new MrtException("QUANTIZE.OSCALE_MAPS: " + m.getKey() + " names '" + m.getValue()
              + "', which is not an output of the base model " + base.oldNames());
        }
        scales.add(s);
      }
    }
    return new Merged(merged, scales);
  }
}
