package io.mrt.runtime.pass;

import io.mrt.api.graph.Model;
import io.mrt.api.graph.Node;
import io.mrt.runtime.MrtException;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;

/** Duplicate name validation (MRT's {@code name_duplicate_check}): every node name is unique. */
public final class NameCheckPass implements ModelPass {
  @Override
  public String name() {
    return "name_duplicate_check";
  }

  @Override
  public Model apply(Model model, PassContext ctx) {
    Set<String> seen = new HashSet<>();
    Set<String> dups = new TreeSet<>();
    for (Node n : model.graph().nodes()) {
      if (!seen.add(n.name())) {
        dups.add(n.name());
      }
    }
    if (!dups.isEmpty()) {
      throw new MrtException("duplicated node names in the graph: " + dups + "; expected unique names");
    }
    return model;
  }
}
