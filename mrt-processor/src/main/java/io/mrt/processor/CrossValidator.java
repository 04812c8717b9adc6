package io.mrt.processor;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.Elements;

/**
 * Checks the ops of one compilation against each other. Each op name may be handled by one unkeyed
 * class (the fallback) and by keyed classes whose values do not overlap, all keyed by the same
 * attribute. Each class involved in a clash gets its own error naming the others, on its own op
 * name; the ops are visited in class-name order, so the diagnostics come out in a stable order.
 */
final class CrossValidator {
  private final Elements elements;
  private final Reporter reporter;

  CrossValidator(Elements elements, Reporter reporter) {
    this.elements = elements;
    this.reporter = reporter;
  }

  /** Whether the ops are consistent; every clash is reported. */
  boolean check(List<OpModel> models) {
    List<OpModel> ops = new ArrayList<>(models);
    ops.sort(Comparator.comparing(OpModel::className));
    int before = reporter.errorCount();

    Map<String, Set<OpModel>> claims = new TreeMap<>();
    for (OpModel op : ops) {
      for (String claim : op.claims()) {
        claims.computeIfAbsent(claim, k -> new LinkedHashSet<>()).add(op);
      }
    }
    for (Map.Entry<String, Set<OpModel>> c : claims.entrySet()) {
      if (c.getValue().size() < 2) {
        continue;
      }
      for (OpModel op : c.getValue()) {
        List<String> others = c.getValue().stream().filter(o -> o != op).map(OpModel::className).toList();
        report(Messages.DUPLICATE_NAME + c.getKey() + " (also handled by " + String.join(", ", others) + ")",
            op, opName(c.getKey()));
      }
    }

    Map<String, OpModel> firstKeyed = new TreeMap<>(); // op name -> first keyed op (class order)
    for (OpModel op : ops) {
      if (!op.keyed()) {
        continue;
      }
      for (String name : op.names()) {
        OpModel first = firstKeyed.putIfAbsent(name, op);
        if (first != null && !first.whenAttr().equals(op.whenAttr())) {
          report(Messages.MIXED_WHEN + name + " is keyed by " + first.whenAttr() + " in " + first.className()
              + " and by " + op.whenAttr() + " in " + op.className(), op, name);
        }
      }
    }
    return reporter.errorCount() == before;
  }

  private static String opName(String claim) {
    int bracket = claim.indexOf('[');
    return bracket < 0 ? claim : claim.substring(0, bracket);
  }

  /** Reports on the op's class, its {@code @MrtOp} and the value naming {@code name}. */
  private void report(String message, OpModel op, String name) {
    TypeElement type = elements.getTypeElement(op.className());
    AnnotationMirror m = type == null ? null : Annotations.mirror(type, OpValidator.MRT_OP).orElse(null);
    AnnotationValue value = null;
    if (m != null) {
      for (AnnotationValue v : Annotations.list(Annotations.value(elements, m, "value"))) {
        if (name.equals(Annotations.string(v))) {
          value = v;
          break;
        }
      }
    }
    reporter.error(message, type, m, value);
  }
}
