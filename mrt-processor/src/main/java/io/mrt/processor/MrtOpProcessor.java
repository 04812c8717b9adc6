package io.mrt.processor;

import com.google.auto.service.AutoService;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.Processor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Element;
import javax.lang.model.element.TypeElement;
import javax.tools.Diagnostic;

/**
 * The {@code @MrtOp} annotation processor. In order, it:
 *
 * <ol>
 *   <li>collects every element annotated with {@code io.mrt.annotations.MrtOp};
 *   <li>validates each one ({@link OpValidator}) and reports every mistake on the element and the
 *       annotation, with a message that says how to fix it;
 *   <li>builds an immutable {@link OpModel} per valid class;
 *   <li>checks the ops against each other (duplicate op names or keys);
 *   <li>generates one final registry class implementing {@code io.mrt.api.registry.OpRegistry}
 *       ({@link RegistryGenerator}) and its {@code META-INF/services} registration.
 * </ol>
 *
 * <p>Options: {@code mrt.registry.class} (the generated class's qualified name; default
 * {@code <package of the first op>.GeneratedOpRegistry}) and {@code mrt.registry.name} (the name
 * the registry reports; default the simple class name). Exceptions never reach javac: they become
 * one error diagnostic.
 */
@AutoService(Processor.class)
public final class MrtOpProcessor extends AbstractProcessor {
  /** Option: the qualified name of the generated registry class. */
  public static final String OPTION_CLASS = "mrt.registry.class";
  /** Option: the name the generated registry reports. */
  public static final String OPTION_NAME = "mrt.registry.name";
  static final String MRT_OP = "io.mrt.annotations.MrtOp";

  private final List<OpModel> models = new ArrayList<>();
  private boolean generated;
  private boolean failed;

  @Override
  public Set<String> getSupportedAnnotationTypes() {
    return Set.of(MRT_OP);
  }

  @Override
  public Set<String> getSupportedOptions() {
    return Set.of(OPTION_CLASS, OPTION_NAME);
  }

  @Override
  public SourceVersion getSupportedSourceVersion() {
    return SourceVersion.latestSupported();
  }

  @Override
  public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment roundEnv) {
    try {
      processImpl(roundEnv);
    } catch (RuntimeException e) {
      StringWriter trace = new StringWriter();
      e.printStackTrace(new PrintWriter(trace));
      processingEnv.getMessager().printMessage(Diagnostic.Kind.ERROR,
          Messages.INTERNAL_ERROR + trace);
    }
    return false;
  }

  private void processImpl(RoundEnvironment roundEnv) {
    TypeElement annotation = processingEnv.getElementUtils().getTypeElement(MRT_OP);
    if (annotation == null) {
      return;
    }
    OpValidator validator = new OpValidator(processingEnv);
    List<OpModel> round = new ArrayList<>();
    for (Element e : roundEnv.getElementsAnnotatedWith(annotation)) {
      validator.validate(e).ifPresent(round::add);
    }
    failed |= validator.failed();
    if (!round.isEmpty() && generated) {
      processingEnv.getMessager().printMessage(Diagnostic.Kind.ERROR,
          Messages.LATE_OP + round.get(0).className());
      return;
    }
    models.addAll(round);
    if (generated || models.isEmpty()) {
      return;
    }
    if (!new CrossValidator(processingEnv, validator.elements()).check(models)) {
      failed = true;
    }
    if (failed) {
      generated = true; // nothing is generated for an erroneous compilation
      return;
    }
    TreeMap<String, OpModel> sorted = new TreeMap<>();
    models.forEach(m -> sorted.put(m.key(), m));
    String qualified = processingEnv.getOptions().get(OPTION_CLASS);
    if (qualified == null || qualified.isBlank()) {
      String first = sorted.values().stream().map(OpModel::className).sorted().findFirst().orElseThrow();
      int dot = first.lastIndexOf('.');
      qualified = (dot < 0 ? "" : first.substring(0, dot + 1)) + "GeneratedOpRegistry";
    }
    String name = processingEnv.getOptions().getOrDefault(OPTION_NAME,
        qualified.substring(qualified.lastIndexOf('.') + 1));
    try {
      new RegistryGenerator(processingEnv.getFiler()).write(qualified, name, List.copyOf(sorted.values()),
          validator.elements());
    } catch (IOException e) {
      processingEnv.getMessager().printMessage(Diagnostic.Kind.ERROR,
          Messages.WRITE_FAILED + qualified + ": " + e.getMessage());
    }
    generated = true;
  }
}
