package io.mrt.processor;

import com.google.auto.service.AutoService;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.ProcessingEnvironment;
import javax.annotation.processing.Processor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Element;
import javax.lang.model.element.TypeElement;

/**
 * The {@code @MrtOp} annotation processor. In each round, in order, it:
 *
 * <ol>
 *   <li>collects the classes annotated with {@code io.mrt.annotations.MrtOp}, and those deferred
 *       from the previous round;
 *   <li>defers a class whose supertypes or attribute types javac has not resolved yet (another
 *       processor may generate them), to be validated in a later round;
 *   <li>validates each other class ({@link OpValidator}), reporting every mistake on the element,
 *       its annotation and the offending value, with a message ({@link Messages}) that says how to
 *       fix it, and builds an immutable {@link OpModel} per valid class;
 *   <li>once no class is deferred, checks the ops against each other ({@link CrossValidator}:
 *       duplicate op names or keys), builds the {@link RegistryModel}, and generates one final
 *       registry class implementing {@code io.mrt.api.registry.OpRegistry}
 *       ({@link RegistryGenerator}) and its {@code META-INF/services} registration.
 * </ol>
 *
 * <p>Nothing is generated for a compilation with an error. The output depends only on the models,
 * sorted, so two builds give identical bytes. The processor claims only {@code @MrtOp} (and
 * returns {@code false}, leaving the annotation to other processors too), and exceptions never
 * reach javac: an unexpected one becomes one error diagnostic with its trace.
 *
 * <p>Options: {@code -Amrt.registry.class} (the generated class's qualified name; default
 * {@code GeneratedOpRegistry} in the package of the first op class by name) and
 * {@code -Amrt.registry.name} (what the registry's {@code name()} returns; default the simple class
 * name). One registry is generated per compilation, that is per jar; it lists every {@code @MrtOp}
 * class of the compilation, so incremental builds must recompile all of them together.
 */
@AutoService(Processor.class)
public final class MrtOpProcessor extends AbstractProcessor {
  /** Option: the qualified name of the generated registry class. */
  public static final String OPTION_CLASS = "mrt.registry.class";

  /** Option: the name the generated registry reports. */
  public static final String OPTION_NAME = "mrt.registry.name";

  /** Valid ops of this compilation so far, by canonical class name (first round first). */
  private final Map<String, OpModel> models = new LinkedHashMap<>();
  /** Classes waiting for types that are not resolved yet, by canonical name. */
  private final Set<String> deferred = new TreeSet<>();
  private Reporter reporter;
  private boolean generated;

  /** Created by javac through {@link java.util.ServiceLoader}. */
  public MrtOpProcessor() {}

  @Override
  public synchronized void init(ProcessingEnvironment processingEnv) {
    super.init(processingEnv);
    reporter = new Reporter(processingEnv.getMessager());
  }

  @Override
  public Set<String> getSupportedAnnotationTypes() {
    return Set.of(OpValidator.MRT_OP);
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
      round(roundEnv);
    } catch (RuntimeException | LinkageError e) {
      // LinkageError: e.g. JavaPoet missing from the processor path
      StringWriter trace = new StringWriter();
      e.printStackTrace(new PrintWriter(trace));
      reporter.error(Messages.INTERNAL_ERROR + trace);
      generated = true; // do not try again in a later round
    }
    return false;
  }

  private void round(RoundEnvironment roundEnv) {
    List<TypeElement> candidates = new ArrayList<>();
    for (String name : deferred) {
      TypeElement e = processingEnv.getElementUtils().getTypeElement(name);
      if (e != null) {
        candidates.add(e);
      }
    }
    deferred.clear();
    TypeElement annotation = processingEnv.getElementUtils().getTypeElement(OpValidator.MRT_OP);
    if (annotation != null) {
      for (Element e : roundEnv.getElementsAnnotatedWith(annotation)) {
        if (e instanceof TypeElement t) {
          candidates.add(t);
        }
      }
    }

    OpValidator validator = new OpValidator(processingEnv.getElementUtils(), processingEnv.getTypeUtils(), reporter);
    boolean last = roundEnv.processingOver();
    for (TypeElement e : candidates) {
      String name = e.getQualifiedName().toString();
      if (generated) {
        if (!models.containsKey(name)) {
          reporter.error(Messages.LATE_OP + name, e,
              Annotations.mirror(e, OpValidator.MRT_OP).orElse(null), null);
        }
        continue;
      }
      if (!last && validator.unresolved(e)) {
        deferred.add(name);
        continue;
      }
      if (last && validator.unresolved(e)) {
        reporter.error(Messages.UNRESOLVED + name, e, Annotations.mirror(e, OpValidator.MRT_OP).orElse(null), null);
        continue;
      }
      validator.validate(e).ifPresent(m -> models.put(name, m));
    }

    if (generated || !deferred.isEmpty() || models.isEmpty()) {
      return; // done, waiting for deferred classes, or nothing valid to generate yet
    }
    generated = true;
    if (reporter.errorCount() > 0) {
      return; // nothing is generated for an erroneous compilation
    }
    List<OpModel> ops = List.copyOf(models.values());
    if (!new CrossValidator(processingEnv.getElementUtils(), reporter).check(ops)) {
      return;
    }
    String classOption = processingEnv.getOptions().get(OPTION_CLASS);
    if (classOption != null && !classOption.isBlank() && !SourceVersion.isName(classOption.trim())) {
      reporter.error(Messages.BAD_OPTION + "'" + classOption + "'");
      return;
    }
    RegistryModel registry = RegistryModel.of(classOption, processingEnv.getOptions().get(OPTION_NAME), ops);
    List<TypeElement> origins = new ArrayList<>();
    for (OpModel op : registry.ops()) {
      TypeElement e = processingEnv.getElementUtils().getTypeElement(op.className());
      if (e != null) {
        origins.add(e);
      }
    }
    boolean generatedAvailable =
        processingEnv.getElementUtils().getTypeElement("javax.annotation.processing.Generated") != null;
    try {
      new RegistryGenerator(processingEnv.getFiler(), generatedAvailable).write(registry, origins);
    } catch (IOException e) {
      reporter.error(Messages.WRITE_FAILED + registry.qualifiedName() + ": " + e.getMessage());
    }
  }
}
