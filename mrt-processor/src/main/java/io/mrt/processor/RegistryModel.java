package io.mrt.processor;

import java.util.Comparator;
import java.util.List;

/**
 * Everything the generator needs for one registry: its class, the name it reports and the ops,
 * sorted by key. Built only from validated, cross-checked {@link OpModel}s.
 *
 * @param packageName the package of the registry class ({@code ""} for the unnamed package)
 * @param simpleName the simple name of the registry class
 * @param registryName what {@code OpRegistry.name()} returns
 * @param ops the ops, sorted by key (keys are unique)
 */
record RegistryModel(String packageName, String simpleName, String registryName, List<OpModel> ops) {
  RegistryModel {
    ops = ops.stream().sorted(Comparator.comparing(OpModel::key)).toList();
    for (int i = 1; i < ops.size(); i++) {
      if (ops.get(i - 1).key().equals(ops.get(i).key())) {
        throw new IllegalArgumentException("duplicate op key " + ops.get(i).key()
            + " in " + ops.get(i - 1).className() + " and " + ops.get(i).className());
      }
    }
  }

  /**
   * The registry for {@code ops}: the class from the option {@code mrt.registry.class} if given,
   * else {@code GeneratedOpRegistry} in the package of the first op class by name; the name from
   * {@code mrt.registry.name} if given, else the simple class name.
   */
  static RegistryModel of(String classOption, String nameOption, List<OpModel> ops) {
    String qualified = classOption;
    if (qualified == null || qualified.isBlank()) {
      String pkg = ops.stream().sorted(Comparator.comparing(OpModel::className))
          .map(OpModel::packageName).findFirst().orElse("");
      qualified = pkg.isEmpty() ? "GeneratedOpRegistry" : pkg + ".GeneratedOpRegistry";
    }
    qualified = qualified.trim();
    int dot = qualified.lastIndexOf('.');
    String pkg = dot < 0 ? "" : qualified.substring(0, dot);
    String simple = qualified.substring(dot + 1);
    String name = nameOption == null || nameOption.isBlank() ? simple : nameOption.trim();
    return new RegistryModel(pkg, simple, name, ops);
  }

  /** The qualified name of the registry class. */
  String qualifiedName() {
    return packageName.isEmpty() ? simpleName : packageName + "." + simpleName;
  }
}
