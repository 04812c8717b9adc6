package io.mrt.runtime.stage.quantize;

import io.mrt.api.graph.Graph;
import io.mrt.api.graph.Node;
import io.mrt.api.registry.Hook;
import io.mrt.runtime.MrtException;
import io.mrt.runtime.registry.OpTable;
import io.mrt.runtime.registry.ResolvedOp;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Expands QUANTIZE.RESTORE_NAMES as MRT V3 does ({@code V3/quantize.py}): a node name stands for
 * itself; {@code _OP_<op>} for every node of MXNet op {@code <op>}; with {@code _ALL_EXCEPT_}
 * every op node that could be quantized (its op has a quantize hook and is restorable) is
 * restored, except the names (and {@code _OP_} expansions) listed beside it.
 */
public final class RestoreNames {
  /** The prefix naming every node of an op. */
  public static final String OP_PREFIX = "_OP_";
  /** The marker that inverts the list. */
  public static final String ALL_EXCEPT = "_ALL_EXCEPT_";

  private RestoreNames() {}

  /**
   * The names of the nodes to restore, in graph order. An unknown name, an {@code _OP_} that
   * matches no node, or a node whose op cannot stay float (variables; ops declared
   * {@code restorable = false}) is an error naming it.
   */
  public static Set<String> expand(List<String> names, Graph graph, OpTable ops) {
    return expand("QUANTIZE.RESTORE_NAMES", names, graph, ops, true);
  }

  /**
   * The op nodes a list of the same form names, in graph order, for the config key {@code key};
   * when {@code restoring}, only nodes that may stay float qualify (as for RESTORE_NAMES).
   */
  static Set<String> expand(String key, List<String> names, Graph graph, OpTable ops, boolean restoring) {
    Set<String> listed = new LinkedHashSet<>();
    boolean allExcept = false;
    for (String name : names) {
      if (name.equals(ALL_EXCEPT)) {
        allExcept = true;
      } else if (name.startsWith(OP_PREFIX)) {
        String op = name.substring(OP_PREFIX.length());
        List<Node> nodes = graph.nodes().stream().filter(n -> n.op().equals(op)).toList();
        if (nodes.isEmpty()) {
          throw new MrtException(key + ": " + name + " matches no node (no node of op '" + op + "' in the graph)");
        }
        nodes.forEach(n -> listed.add(n.name()));
      } else {
        Node n = graph.node(name).orElseThrow(() -> new MrtException(
            key + ": no node named '" + name + "' in the graph"));
        listed.add(n.name());
      }
    }
    Set<String> out = new LinkedHashSet<>();
    for (Node n : graph.nodes()) {
      boolean quantizable = !n.isVariable()
          && (!restoring || ops.find(n).map(RestoreNames::restorable).orElse(false));
      if (allExcept) {
        if (quantizable && !listed.contains(n.name())) {
          out.add(n.name());
        }
      } else if (listed.contains(n.name())) {
        if (!restoring && n.isVariable()) {
          throw new MrtException(key + ": node " + n.name() + " is a variable, not an op");
        }
        if (restoring && (n.isVariable() || !ops.find(n).map(op -> op.descriptor().restorable()).orElse(true))) {
          throw new MrtException("QUANTIZE.RESTORE_NAMES: node " + n.name() + " (" + n.op()
              + ") cannot stay in float (" + (n.isVariable() ? "a variable" : "its op is not restorable") + ")");
        }
        out.add(n.name());
      }
    }
    return out;
  }

  private static boolean restorable(ResolvedOp op) {
    return op.descriptor().restorable() && op.descriptor().has(Hook.QUANTIZE);
  }

}
