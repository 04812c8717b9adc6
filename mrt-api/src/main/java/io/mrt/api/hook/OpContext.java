package io.mrt.api.hook;

import io.mrt.api.graph.Attrs;
import io.mrt.api.graph.Node;

/** What every hook receives: the node it works on and its attributes (defaults filled in). */
public interface OpContext {
  /** The node. */
  Node node();

  /** The node's attributes, with the op's declared defaults filled in. */
  Attrs attrs();

  /** An {@link OpException} about this node: {@code node NAME (OP): message}. */
  default OpException error(String message) {
    return new OpException(node().name(), node().op(), message);
  }
}
