package io.mrt.testing;

import io.mrt.api.graph.Node;
import io.mrt.api.registry.OpDescriptor;
import io.mrt.api.registry.OpRegistry;

/** The descriptor of a registry that handles a node, chosen as the runtime's dispatch chooses it. */
public final class Descriptors {
  private Descriptors() {}

  /**
   * The descriptor of {@code registry} that handles {@code node}: an op keyed by an attribute
   * ({@code Activation[act_type=tanh]}) before an unkeyed one, as the runtime's op table does.
   *
   * @throws IllegalArgumentException when no op of the registry handles the node, naming the
   *     node, its op and attributes, and the registry's keys
   */
  public static OpDescriptor handling(OpRegistry registry, Node node) {
    for (OpDescriptor d : registry.ops()) {
      if (d.isKeyed() && d.handles(node)) {
        return d;
      }
    }
    for (OpDescriptor d : registry.ops()) {
      if (!d.isKeyed() && d.handles(node)) {
        return d;
      }
    }
    throw new IllegalArgumentException("no op of registry " + registry.name() + " handles node " + node.name()
        + " (" + node.op() + " " + node.attrs() + "); its ops: "
        + registry.ops().stream().map(OpDescriptor::key).toList());
  }
}
