package io.mrt.api.hook;

import io.mrt.api.graph.Entry;
import java.util.List;

/** Moves or merges transposes around the node (prepare stage, MRT's {@code fuse_transpose}). */
public interface FuseTransposeHook {
  /** The entries that replace the node's outputs ({@code ctx.unchanged()} to keep it). */
  List<Entry> fuseTranspose(RewriteContext ctx);
}
