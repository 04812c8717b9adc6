package io.mrt.runtime.pass;

import io.mrt.api.graph.Entry;
import io.mrt.api.graph.Model;
import io.mrt.api.graph.Node;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs named passes in order, logging each pass and what it changed (INFO: one summary line;
 * DEBUG: the names removed, added and changed). The reports of the last run are kept.
 */
public final class PassManager {
  private static final Logger LOG = LoggerFactory.getLogger(PassManager.class);
  private final List<ModelPass> passes;
  private final List<PassReport> reports = new ArrayList<>();

  /** A manager for the given passes, run in list order. */
  public PassManager(List<ModelPass> passes) {
    this.passes = List.copyOf(passes);
  }

  /** The passes, in order. */
  public List<ModelPass> passes() {
    return passes;
  }

  /** The names of the passes, in order. */
  public List<String> names() {
    return passes.stream().map(ModelPass::name).toList();
  }

  /** Runs every pass in order on {@code model}. */
  public Model run(Model model, PassContext ctx) {
    reports.clear();
    Model m = model;
    for (ModelPass p : passes) {
      long t0 = System.nanoTime();
      Model next = p.apply(m, ctx);
      long ms = (System.nanoTime() - t0) / 1_000_000;
      PassReport r = diff(p.name(), m, next, ms);
      reports.add(r);
      LOG.info("pass {}", r.summary());
      if (LOG.isDebugEnabled() && !r.unchanged()) {
        LOG.debug("pass {}: removed {}, added {}, changed {}", p.name(), r.removed(), r.added(), r.changed());
      }
      m = next;
    }
    return m;
  }

  /** The reports of the last {@link #run}, in pass order. */
  public List<PassReport> reports() {
    return Collections.unmodifiableList(reports);
  }

  /** What changed from {@code before} to {@code after}, by node name. */
  public static PassReport diff(String pass, Model before, Model after, long millis) {
    Map<String, String> a = signatures(before);
    Map<String, String> b = signatures(after);
    List<String> removed = new ArrayList<>();
    List<String> changed = new ArrayList<>();
    for (Map.Entry<String, String> e : a.entrySet()) {
      String now = b.get(e.getKey());
      if (now == null) {
        removed.add(e.getKey());
      } else if (!now.equals(e.getValue())) {
        changed.add(e.getKey());
      }
    }
    List<String> added = new ArrayList<>();
    for (String name : b.keySet()) {
      if (!a.containsKey(name)) {
        added.add(name);
      }
    }
    int ops = after.graph().ops().size();
    return new PassReport(pass, removed, added, changed, ops, after.params().size(), millis);
  }

  private static Map<String, String> signatures(Model m) {
    Map<String, String> sig = new LinkedHashMap<>();
    for (Node n : m.graph().nodes()) {
      StringBuilder s = new StringBuilder(n.op()).append(n.attrs().asMap());
      for (Entry e : n.inputs()) {
        s.append(' ').append(e);
      }
      if (n.isVariable()) {
        s.append(m.params().containsKey(n.name()) ? " param" : " input");
      }
      String key = n.name();
      for (int k = 1; sig.containsKey(key); k++) {
        key = n.name() + "#" + k;
      }
      sig.put(key, s.toString());
    }
    return sig;
  }
}
