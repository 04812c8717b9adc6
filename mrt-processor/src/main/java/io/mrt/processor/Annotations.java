package io.mrt.processor;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.Elements;
import javax.lang.model.util.SimpleAnnotationValueVisitor14;

/**
 * Reads annotation mirrors without loading the annotation classes (the annotations are compiled in
 * the same round in a project that declares its own). Values of the wrong kind, as javac gives for
 * erroneous source, read as absent rather than throwing.
 */
final class Annotations {
  private Annotations() {}

  /** The mirror of the annotation {@code qualifiedName} on {@code e}. */
  static Optional<AnnotationMirror> mirror(Element e, String qualifiedName) {
    for (AnnotationMirror m : e.getAnnotationMirrors()) {
      Element type = m.getAnnotationType().asElement();
      if (type instanceof TypeElement t && t.getQualifiedName().contentEquals(qualifiedName)) {
        return Optional.of(m);
      }
    }
    return Optional.empty();
  }

  /** The value of member {@code name}, written or defaulted; null if the member does not exist. */
  static AnnotationValue value(Elements elements, AnnotationMirror m, String name) {
    for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> e
        : elements.getElementValuesWithDefaults(m).entrySet()) {
      if (e.getKey().getSimpleName().contentEquals(name)) {
        return e.getValue();
      }
    }
    return null;
  }

  /** The value of member {@code name} only if it is written in the source, else null. */
  static AnnotationValue explicitValue(AnnotationMirror m, String name) {
    for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> e
        : m.getElementValues().entrySet()) {
      if (e.getKey().getSimpleName().contentEquals(name)) {
        return e.getValue();
      }
    }
    return null;
  }

  /** The elements of an array value ({@code {"a", "b"}}); a single value written without braces too. */
  static List<AnnotationValue> list(AnnotationValue v) {
    if (v == null) {
      return List.of();
    }
    return v.accept(new SimpleAnnotationValueVisitor14<List<AnnotationValue>, Void>(List.of(v)) {
      @Override
      public List<AnnotationValue> visitArray(List<? extends AnnotationValue> values, Void unused) {
        return List.copyOf(values);
      }
    }, null);
  }

  /** A string value, or null if {@code v} is not a string (e.g. erroneous source). */
  static String string(AnnotationValue v) {
    return v != null && v.getValue() instanceof String s ? s : null;
  }

  /** An int value, or null. */
  static Integer integer(AnnotationValue v) {
    return v != null && v.getValue() instanceof Integer i ? i : null;
  }

  /** A boolean value, or null. */
  static Boolean bool(AnnotationValue v) {
    return v != null && v.getValue() instanceof Boolean b ? b : null;
  }

  /** A class literal's type, or null. */
  static TypeMirror type(AnnotationValue v) {
    return v != null && v.getValue() instanceof TypeMirror t ? t : null;
  }

  /** A nested annotation, or null. */
  static AnnotationMirror annotation(AnnotationValue v) {
    return v != null && v.getValue() instanceof AnnotationMirror a ? a : null;
  }
}
