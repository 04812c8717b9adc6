package io.mrt.processor;

import javax.annotation.processing.Messager;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.tools.Diagnostic;

/**
 * Prints the processor's errors on the most precise position available (element, annotation
 * mirror, annotation value) and remembers whether any error was printed.
 */
final class Reporter {
  private final Messager messager;
  private int errors;

  Reporter(Messager messager) {
    this.messager = messager;
  }

  /** An error on the element, its annotation and the value, whichever of the last two are known. */
  void error(String message, Element element, AnnotationMirror mirror, AnnotationValue value) {
    errors++;
    if (element == null) {
      messager.printMessage(Diagnostic.Kind.ERROR, message);
    } else if (mirror == null) {
      messager.printMessage(Diagnostic.Kind.ERROR, message, element);
    } else if (value == null) {
      messager.printMessage(Diagnostic.Kind.ERROR, message, element, mirror);
    } else {
      messager.printMessage(Diagnostic.Kind.ERROR, message, element, mirror, value);
    }
  }

  /** An error that belongs to no element (a compiler option, an I/O failure). */
  void error(String message) {
    error(message, null, null, null);
  }

  /** The number of errors printed so far. */
  int errorCount() {
    return errors;
  }
}
