package io.mrt.train;

import ai.djl.nn.Block;
import io.mrt.api.graph.Entry;
import io.mrt.api.graph.Model;

/**
 * A network built by a {@link NetBuilder}: the DJL block to train and the IR head to export.
 *
 * @param block the DJL block (outputs logits)
 * @param head the exported graph's output entry
 * @param builder links the IR parameters to the DJL parameters
 */
record Net(Block block, Entry head, NetBuilder builder) {
  /** The IR model with the current DJL parameter values. */
  Model export() {
    return builder.export(head);
  }
}
