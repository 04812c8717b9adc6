package io.mrt.api.hook;

import io.mrt.api.graph.Entry;
import java.util.List;

/**
 * The context of {@link RewriteHook} and {@link FuseTransposeHook}: the node with its inputs
 * already transformed, and a builder for replacement nodes.
 */
public interface RewriteContext extends OpContext, GraphBuilder {
  /** The (already transformed) input entries of the node. */
  List<Entry> inputs();

  /** Input {@code i}. */
  default Entry input(int i) {
    return inputs().get(i);
  }

  /** The node itself, rebuilt on the transformed inputs: return it to keep the node. */
  List<Entry> unchanged();

  /**
   * How many readers (node inputs and graph outputs) the entry has. For an entry that stands for
   * an entry of the graph the pass started from, these are the readers in that graph (so a rewrite
   * can tell whether it is the only consumer of its input, e.g. to fold BatchNorm into the
   * Convolution before it); for an entry created during the pass, the readers created so far.
   */
  int consumers(Entry e);
}
