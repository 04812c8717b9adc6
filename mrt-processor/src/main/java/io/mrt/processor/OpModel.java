package io.mrt.processor;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The validated, immutable model of one {@code @MrtOp} class, from which the generator writes code.
 * Lists keep the declaration order of the annotation (duplicates removed); {@code hooks} iterates
 * in {@link HookKind} order.
 *
 * @param key the dispatch key: the first op name, plus {@code [attr=v1|v2]} (values sorted) when keyed
 * @param packageName the package of the op class ({@code ""} for the unnamed package)
 * @param simpleNames the simple names from the top-level class down to the op class
 * @param binaryName the binary name of the op class (what the descriptor reports)
 * @param names the MXNet op names
 * @param whenAttr the discriminating attribute, or {@code ""}
 * @param whenValues the accepted values of {@code whenAttr}
 * @param attrs the declared attributes
 * @param restorable whether the op may stay in float
 * @param emits the CVM operators the op may emit
 * @param inputPrecision the default input precision (0: none)
 * @param hooks the hook interfaces the class implements
 */
record OpModel(
    String key,
    String packageName,
    List<String> simpleNames,
    String binaryName,
    List<String> names,
    String whenAttr,
    List<String> whenValues,
    List<AttrModel> attrs,
    boolean restorable,
    List<String> emits,
    int inputPrecision,
    Set<HookKind> hooks) {

  OpModel {
    simpleNames = List.copyOf(simpleNames);
    names = List.copyOf(names);
    whenValues = List.copyOf(whenValues);
    attrs = List.copyOf(attrs);
    emits = List.copyOf(emits);
    EnumSet<HookKind> ordered = EnumSet.noneOf(HookKind.class);
    ordered.addAll(hooks);
    hooks = java.util.Collections.unmodifiableSet(ordered);
  }

  /** The canonical name of the op class, e.g. {@code io.mrt.ops.Relu}. */
  String className() {
    String simple = String.join(".", simpleNames);
    return packageName.isEmpty() ? simple : packageName + "." + simple;
  }

  /** Whether the op is keyed by a discriminating attribute. */
  boolean keyed() {
    return !whenAttr.isEmpty();
  }

  /**
   * What the op claims in the op table: one entry per name, or per name and value when keyed
   * ({@code Activation[act_type=relu]}). Two classes must not claim the same entry.
   */
  List<String> claims() {
    if (!keyed()) {
      return names;
    }
    return names.stream()
        .flatMap(n -> whenValues.stream().map(v -> n + "[" + whenAttr + "=" + v + "]"))
        .toList();
  }

  /**
   * One declared attribute.
   *
   * @param name the MXNet attribute key
   * @param type the {@code io.mrt.api.registry.AttrType} constant name
   * @param defaultValue the default as MXNet writes it, or {@code null} when required
   */
  record AttrModel(String name, String type, String defaultValue) {}
}
