package io.mrt.runtime.pass;

import java.util.List;

/**
 * What one pass changed: node names removed and added, nodes kept by name whose op, attributes or
 * inputs changed, and the op and parameter counts after the pass.
 */
public record PassReport(String pass, List<String> removed, List<String> added, List<String> changed,
    int ops, int params, long millis) {
  /** Copies the lists. */
  public PassReport {
    removed = List.copyOf(removed);
    added = List.copyOf(added);
    changed = List.copyOf(changed);
  }

  /** Whether the pass changed nothing in the graph. */
  public boolean unchanged() {
    return removed.isEmpty() && added.isEmpty() && changed.isEmpty();
  }

  /** One line: {@code rewrite: -3 +5 ~1 nodes (40 ops, 31 params, 12 ms)}. */
  public String summary() {
    return pass + ": " + (unchanged() ? "no change" : "-" + removed.size() + " +" + added.size() + " ~"
        + changed.size() + " nodes") + " (" + ops + " ops, " + params + " params, " + millis + " ms)";
  }
}
