package io.mrt.api.hook;

import io.mrt.api.graph.Entry;
import java.util.List;

/**
 * An equivalent substitution run by the prepare stage (BatchNorm folding, scalar ops into
 * broadcast ops, ...). The float outputs before and after must agree.
 */
public interface RewriteHook {
  /** The entries that replace the node's outputs, one per output ({@code ctx.unchanged()} to keep it). */
  List<Entry> rewrite(RewriteContext ctx);
}
