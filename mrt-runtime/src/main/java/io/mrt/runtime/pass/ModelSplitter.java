package io.mrt.runtime.pass;

import io.mrt.api.graph.Attrs;
import io.mrt.api.graph.Entry;
import io.mrt.api.graph.Graph;
import io.mrt.api.graph.Model;
import io.mrt.api.graph.Node;
import io.mrt.api.graph.Shape;
import io.mrt.runtime.MrtException;
import io.mrt.runtime.exec.fp.ShapeInference;
import io.mrt.runtime.registry.OpTable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MRT's model split and merge. {@link #split} cuts a model at key nodes (PREPARE.SPLIT_KEYS): the
 * base computes the key nodes (its outputs, in graph order); the top reads each key node as an
 * input variable of the same name, declared with the key's inferred shape. {@link #merge} puts a
 * (quantized) base back under a (float) top.
 */
public final class ModelSplitter {
  private static final Logger LOG = LoggerFactory.getLogger(ModelSplitter.class);

  /** The two halves of a split model. */
  public record Split(Model base, Model top) {}

  private ModelSplitter() {}

  /** Splits {@code model} at the nodes named {@code keys}. */
  public static Split split(Model model, List<String> keys, OpTable ops) {
    Set<String> wanted = new LinkedHashSet<>(keys);
    List<Entry> baseHeads = new ArrayList<>();
    Set<String> found = new LinkedHashSet<>();
    for (Node n : model.graph().nodes()) {
      if (!wanted.contains(n.name())) {
        continue;
      }
      if (n.isVariable()) {
        throw new MrtException("split key " + n.name() + " is a variable; expected an op node name");
      }
      if (n.numOutputs() != 1) {
        throw new MrtException("split key " + n.name() + " (" + n.op() + ") has " + n.numOutputs()
            + " outputs; expected a node with one output");
      }
      found.add(n.name());
      baseHeads.add(n.out());
    }
    if (found.size() != wanted.size()) {
      Set<String> missing = new TreeSet<>(wanted);
      missing.removeAll(found);
      throw new MrtException("PREPARE.SPLIT_KEYS names " + missing + ", which are not nodes of the prepared model");
    }
    Map<Entry, Shape> shapes = ShapeInference.infer(model, Map.of(), ops);
    Model base = used(new Graph(baseHeads), model.params());
    Model top = GraphTransformer.transform(model, ops, step -> {
      Node n = step.node();
      if (!found.contains(n.name())) {
        return step.unchanged();
      }
      Shape s = shapes.get(n.out());
      return List.of(step.variable(n.name(), Attrs.of(ShapeMap.SHAPE_ATTR, Attrs.tuple(s.dims()))).out());
    });
    return new Split(base, used(top.graph(), top.params()));
  }

  /**
   * Merges a base under a top: every top input variable named like a base output (after
   * {@code baseNameMap}, base output name to the name the top knows it by) is replaced by that
   * output; every other top node is rebuilt on the merged inputs and passed to {@code callback}
   * (may be null), which may return it with changed attributes. Parameters are the union (a top
   * parameter wins over a base one of the same name, as in MRT).
   */
  public static Model merge(Model base, Model top, Map<String, String> baseNameMap, UnaryOperator<Node> callback) {
    Map<String, Entry> outputs = new HashMap<>();
    for (Entry h : base.graph().heads()) {
      outputs.put(baseNameMap.getOrDefault(h.node().name(), h.node().name()), h);
    }
    return merge(outputs, base.params(), top, callback);
  }

  /**
   * Merges base outputs under a top: every top input variable named like a key of
   * {@code baseOutputs} (and not a top parameter) is replaced by that output; every other top node
   * is rebuilt on the merged inputs and passed to {@code callback} (may be null). Parameters are
   * {@code baseParams} and the top's (the top's value wins). Fails on duplicate node names.
   */
  public static Model merge(Map<String, Entry> baseOutputs, Map<String, INDArray> baseParams, Model top,
      UnaryOperator<Node> callback) {
    Map<String, Entry> outputs = baseOutputs;
    Map<Node, List<Entry>> mapped = new IdentityHashMap<>();
    for (Node n : top.graph().nodes()) {
      if (n.isVariable() && !top.params().containsKey(n.name()) && outputs.containsKey(n.name())) {
        mapped.put(n, List.of(outputs.get(n.name())));
        continue;
      }
      List<Entry> in = new ArrayList<>();
      boolean same = true;
      for (Entry e : n.inputs()) {
        Entry ne = mapped.get(e.node()).get(e.index());
        same &= ne.equals(e);
        in.add(ne);
      }
      Node rebuilt = same ? n : n.withInputs(in);
      if (callback != null && !rebuilt.isVariable()) {
        rebuilt = callback.apply(rebuilt);
      }
      List<Entry> outs = new ArrayList<>();
      for (int i = 0; i < rebuilt.numOutputs(); i++) {
        outs.add(rebuilt.out(i));
      }
      mapped.put(n, outs);
    }
    List<Entry> heads = new ArrayList<>();
    for (Entry h : top.graph().heads()) {
      heads.add(mapped.get(h.node()).get(h.index()));
    }
    Map<String, INDArray> params = new LinkedHashMap<>(baseParams);
    for (Map.Entry<String, INDArray> p : top.params().entrySet()) {
      if (params.put(p.getKey(), p.getValue()) != null) {
        LOG.warn("merge: parameter {} exists in base and top; the top's value is used", p.getKey());
      }
    }
    Model merged = new Model(new Graph(heads), params);
    new NameCheckPass().apply(merged, null);
    return merged;
  }

  private static Model used(Graph g, Map<String, INDArray> params) {
    Map<String, INDArray> kept = new LinkedHashMap<>();
    for (Node v : g.variables()) {
      INDArray value = params.get(v.name());
      if (value != null) {
        kept.put(v.name(), value);
      }
    }
    return new Model(g, kept);
  }
}
