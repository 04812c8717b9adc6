package io.mrt.processor;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.annotation.processing.ProcessingEnvironment;
import javax.lang.model.element.TypeElement;
import javax.tools.Diagnostic;

/**
 * Checks the ops of one compilation against each other: an op name may be handled by one unkeyed
 * class, and by keyed classes whose values do not overlap.
 */
final class CrossValidator {
  private final ProcessingEnvironment env;
  private final Map<String, TypeElement> elements;

  CrossValidator(ProcessingEnvironment env, Map<String, TypeElement> elements) {
    this.env = env;
    this.elements = elements;
  }

  boolean check(List<OpModel> models) {
    boolean ok = true;
    Map<String, OpModel> claims = new HashMap<>();
    for (OpModel m : models) {
      for (String name : m.names()) {
        List<String> keys = m.whenValues().isEmpty() ? List.of(name) : m.whenValues().stream()
            .map(v -> name + "[" + m.whenAttr() + "=" + v + "]").toList();
        for (String k : keys) {
          OpModel prev = claims.putIfAbsent(k, m);
          if (prev != null && prev != m) {
            env.getMessager().printMessage(Diagnostic.Kind.ERROR,
                Messages.DUPLICATE_NAME + k + " (also in " + prev.className() + ")", elements.get(m.className()));
            ok = false;
          }
        }
      }
    }
    return ok;
  }
}
