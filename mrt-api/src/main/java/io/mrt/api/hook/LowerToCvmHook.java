package io.mrt.api.hook;

import io.mrt.api.graph.Entry;
import java.util.List;

/** Lowers a quantized node to CVM operators (compile stage). */
public interface LowerToCvmHook {
  /** The CVM entries that replace the node's outputs. */
  List<Entry> lowerToCvm(LowerContext ctx);
}
