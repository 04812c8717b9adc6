package io.mrt.runtime.registry;

import io.mrt.api.graph.Attrs;
import io.mrt.api.graph.Node;
import io.mrt.api.registry.HookType;
import io.mrt.api.registry.OpDescriptor;
import io.mrt.api.registry.OpRegistry;
import io.mrt.runtime.MrtException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The one table of ops the pipeline runs through: every registry (class path and plugins) merged,
 * with the data sets of the same sources ({@link #datasets()}).
 *
 * <p>Each MXNet op name may have one unkeyed provider and any number of keyed providers (an
 * attribute value, e.g. {@code Activation} with {@code act_type=tanh}) whose values do not overlap.
 * Two providers of the same name (and value) are an error naming both jars, unless
 * {@code providers} picks one: op name to registry name or plugin id (a choice for one name of an
 * op class holds for its other names too).
 */
public final class OpTable {
  private final Map<String, List<ResolvedOp>> byName;
  private final List<ResolvedOp> all;
  private final DatasetCatalog datasets;

  private OpTable(Map<String, List<ResolvedOp>> byName, List<ResolvedOp> all, DatasetCatalog datasets) {
    this.byName = byName;
    this.all = all;
    this.datasets = datasets;
  }

  /**
   * The data sets the run reads (CALIBRATE.DATASET_NAME) from the same class path and plugins as
   * the ops: the class path's built-ins unless {@link #withDatasets(DatasetCatalog)} gave others.
   */
  public DatasetCatalog datasets() {
    return datasets == null ? DatasetCatalog.classPath() : datasets;
  }

  /** The same ops with the given data sets (the built-ins and the loaded plugins' providers). */
  public OpTable withDatasets(DatasetCatalog catalog) {
    return new OpTable(byName, all, catalog);
  }

  /** The registries found by {@link ServiceLoader} on the class path. */
  public static List<OpSource> classPathSources() {
    List<OpSource> sources = new ArrayList<>();
    for (OpRegistry r : ServiceLoader.load(OpRegistry.class, OpTable.class.getClassLoader())) {
      sources.add(OpSource.ofClassPath(r));
    }
    sources.sort(Comparator.comparing(s -> s.registry().name()));
    return sources;
  }

  /** The table of the class-path registries. */
  public static OpTable load() {
    return merge(classPathSources(), Map.of());
  }

  /** Merges the given sources; {@code providers} maps an op name to the chosen registry or plugin. */
  public static OpTable merge(List<OpSource> sources, Map<String, String> providers) {
    Map<String, ResolvedOp> byKey = new TreeMap<>();
    List<String> clashes = new ArrayList<>();
    Set<String> reported = new HashSet<>();
    for (OpSource src : sources) {
      for (OpDescriptor d : src.registry().ops()) {
        for (String name : d.names()) {
          List<String> claims = d.isKeyed()
              ? d.whenValues().stream().map(v -> name + "[" + d.whenAttr() + "=" + v + "]").toList()
              : List.of(name);
          for (String claim : claims) {
            ResolvedOp op = new ResolvedOp(d, src);
            ResolvedOp prev = byKey.get(claim);
            if (prev == null) {
              byKey.put(claim, op);
              continue;
            }
            String chosen = chosen(providers, name, d, prev.descriptor());
            if (chosen != null && matches(src, chosen)) {
              byKey.put(claim, op);
            } else if (chosen != null && matches(prev.source(), chosen)) {
              continue;
            } else if (reported.add(prev.source().label() + "|" + prev.key() + "|" + src.label() + "|" + d.key())) {
              // one line per pair of op classes, although an op with several names clashes on each
              clashes.add("op " + claim + " is provided by both " + prev.source().label() + " and "
                  + src.label() + "; remove one, or choose one with the config key "
                  + "COMMON.OP_PROVIDERS: {" + name + ": " + displayName(src) + "}");
            }
          }
        }
      }
    }
    if (!clashes.isEmpty()) {
      throw new MrtException(String.join("\n", clashes));
    }
    Map<String, List<ResolvedOp>> byName = new LinkedHashMap<>();
    List<ResolvedOp> all = new ArrayList<>();
    for (ResolvedOp op : byKey.values()) {
      if (!all.contains(op) && all.stream().noneMatch(o -> o.descriptor() == op.descriptor() && o.source() == op.source())) {
        all.add(op);
      }
    }
    for (ResolvedOp op : all) {
      for (String name : op.descriptor().names()) {
        byName.computeIfAbsent(name, k -> new ArrayList<>()).add(op);
      }
    }
    return new OpTable(byName, Collections.unmodifiableList(all), null);
  }

  /**
   * The provider chosen for a clash: the choice for this op name, else for any other name of either
   * op class (so that {@code {Activation: tanh}} also decides the clash on {@code tanh}, the second
   * name of the same class).
   */
  private static String chosen(Map<String, String> providers, String name, OpDescriptor a, OpDescriptor b) {
    String c = providers.get(name);
    for (List<String> names : List.of(a.names(), b.names())) {
      for (String n : names) {
        if (c == null) {
          c = providers.get(n);
        }
      }
    }
    return c;
  }

  private static String displayName(OpSource src) {
    return src.pluginId() != null ? src.pluginId() : src.registry().name();
  }

  private static boolean matches(OpSource src, String chosen) {
    return chosen.equals(src.pluginId()) || chosen.equals(src.registry().name()) || chosen.equals(src.location());
  }

  /** Every op, sorted by op name then key. */
  public List<ResolvedOp> ops() {
    return all.stream().sorted(Comparator.comparing((ResolvedOp o) -> o.descriptor().names().get(0))
        .thenComparing(ResolvedOp::key)).toList();
  }

  /** The op that handles {@code node}: a keyed provider whose value matches, else the unkeyed one. */
  public Optional<ResolvedOp> find(Node node) {
    List<ResolvedOp> candidates = byName.getOrDefault(node.op(), List.of());
    for (ResolvedOp op : candidates) {
      if (op.descriptor().isKeyed() && op.descriptor().handles(node)) {
        return Optional.of(op);
      }
    }
    for (ResolvedOp op : candidates) {
      if (!op.descriptor().isKeyed()) {
        return Optional.of(op);
      }
    }
    return Optional.empty();
  }

  /** Like {@link #find}, but a node without a provider is an error naming the node. */
  public ResolvedOp resolve(Node node) {
    return find(node).orElseThrow(() -> new MrtException(unsupported(node)));
  }

  private String unsupported(Node node) {
    List<ResolvedOp> candidates = byName.getOrDefault(node.op(), List.of());
    String what = node.op();
    if (!candidates.isEmpty()) {
      String attr = candidates.get(0).descriptor().whenAttr();
      what = node.op() + " with " + attr + "=" + node.attrs().asMap().get(attr);
    }
    return "node " + node.name() + ": no registered implementation of op " + what
        + "; a plugin can provide it (drop its jar into the plugins directory, see `mrt plugins`)";
  }

  /** The node's attributes with the op's declared defaults filled in. */
  public Attrs attrsOf(Node node) {
    return find(node).map(op -> node.attrs().withDefaults(op.descriptor().defaults())).orElse(node.attrs());
  }

  /**
   * The node's hook of kind {@code type}, if its op has one. The hook returned is guarded: an
   * exception it throws is rethrown as an {@link OpFailure} that names the node, the op, the hook
   * and the jar (and plugin) providing the op; see {@link HookGuard}.
   */
  public <H> Optional<H> hook(HookType<H> type, Node node) {
    ResolvedOp op = resolve(node);
    H h = op.source().registry().hook(type, op.key());
    if (h == null) {
      return Optional.empty();
    }
    return Optional.of(type.around(h, new HookType.Around() {
      @Override
      public <T> T call(Node n, Supplier<T> body) {
        return HookGuard.call(op, type.name(), n, body);
      }
    }));
  }

  /**
   * The class name of the node's hook of kind {@code type} as its registry provides it (not the
   * guard around it), if the node has a provider with such a hook: tells a built-in op from a
   * plugin's.
   */
  public Optional<String> hookClass(HookType<?> type, Node node) {
    return find(node).map(op -> op.source().registry().hook(type, op.key())).map(h -> h.getClass().getName());
  }
}
