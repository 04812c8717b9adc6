package io.mrt.runtime.pass;

import io.mrt.api.graph.Entry;
import io.mrt.api.graph.Graph;
import io.mrt.api.graph.Model;
import io.mrt.api.graph.Node;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Duplicate name hacking (MRT's {@code unify_name_json}): walking the nodes in order, an op node
 * whose name was seen before is renamed {@code <name>_<k>}, where {@code k} comes from one counter
 * for the whole graph (0, 1, 2, ...; a candidate that is already a name is skipped). Variables with
 * the same name are one MXNet argument (bound to one value by name), so a repeated variable is
 * merged into the first one instead of renamed.
 */
public final class UnifyNamesPass implements ModelPass {
  @Override
  public String name() {
    return "unify_names";
  }

  @Override
  public Model apply(Model model, PassContext ctx) {
    List<Node> nodes = model.graph().nodes();
    Set<String> all = new HashSet<>();
    for (Node n : nodes) {
      all.add(n.name());
    }
    if (all.size() == nodes.size()) {
      return model;
    }
    Set<String> seen = new HashSet<>();
    Map<String, Node> variables = new HashMap<>();
    Map<Node, Node> mapped = new IdentityHashMap<>();
    int counter = 0;
    for (Node n : nodes) {
      List<Entry> in = new ArrayList<>();
      boolean same = true;
      for (Entry e : n.inputs()) {
        Node m = mapped.get(e.node());
        same &= m == e.node();
        in.add(new Entry(m, e.index()));
      }
      Node out = same ? n : n.withInputs(in);
      if (n.isVariable() && variables.containsKey(n.name())) {
        mapped.put(n, variables.get(n.name()));
        continue;
      }
      if (!seen.add(n.name())) {
        String renamed;
        do {
          renamed = n.name() + "_" + counter++;
        } while (all.contains(renamed));
        all.add(renamed);
        seen.add(renamed);
        out = out.withName(renamed);
      }
      if (n.isVariable()) {
        variables.put(n.name(), out);
      }
      mapped.put(n, out);
    }
    List<Entry> heads = new ArrayList<>();
    for (Entry h : model.graph().heads()) {
      heads.add(new Entry(mapped.get(h.node()), h.index()));
    }
    return new Model(new Graph(heads), model.params());
  }
}
