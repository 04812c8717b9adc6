package io.mrt.api.registry;

import io.mrt.api.graph.Node;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the generated registry knows of one {@code @MrtOp} class.
 *
 * @param key the dispatch key, unique within a registry: the first op name, plus
 *     {@code [attr=v1|v2]} when the op is keyed by an attribute
 * @param names the MXNet op names handled
 * @param whenAttr the discriminating attribute, or {@code ""}
 * @param whenValues the accepted values of {@code whenAttr}
 * @param attrs the declared attributes
 * @param restorable whether the op may stay in float
 * @param emits the CVM ops the op may emit
 * @param inputPrecision the default input precision of the quantize stage (0: none)
 * @param hooks the hooks the class implements (iterated in {@link Hook} order)
 * @param className the op class's binary name
 */
public record OpDescriptor(
    String key,
    List<String> names,
    String whenAttr,
    List<String> whenValues,
    List<AttrSpec> attrs,
    boolean restorable,
    List<String> emits,
    int inputPrecision,
    Set<Hook> hooks,
    String className) {

  /** Copies the collections; {@code hooks} keeps the stage order of {@link Hook}. */
  public OpDescriptor {
    names = List.copyOf(names);
    whenValues = List.copyOf(whenValues);
    attrs = List.copyOf(attrs);
    emits = List.copyOf(emits);
    hooks = hooks.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(hooks));
  }

  /** Whether the op is keyed by a discriminating attribute. */
  public boolean isKeyed() {
    return !whenAttr.isEmpty();
  }

  /** Whether this op handles {@code node}: the op name matches, and the attribute if keyed. */
  public boolean handles(Node node) {
    if (!names.contains(node.op())) {
      return false;
    }
    if (!isKeyed()) {
      return true;
    }
    String v = node.attrs().asMap().get(whenAttr);
    if (v == null) {
      v = attrs.stream().filter(a -> a.name().equals(whenAttr)).map(AttrSpec::defaultValue)
          .filter(d -> d != null).findFirst().orElse(null);
    }
    return v != null && whenValues.contains(v);
  }

  /** The defaults of the optional attributes, by name. */
  public Map<String, String> defaults() {
    Map<String, String> d = new LinkedHashMap<>();
    for (AttrSpec a : attrs) {
      if (a.defaultValue() != null) {
        d.put(a.name(), a.defaultValue());
      }
    }
    return d;
  }

  /** Whether the class implements {@code hook}. */
  public boolean has(Hook hook) {
    return hooks.contains(hook);
  }
}
