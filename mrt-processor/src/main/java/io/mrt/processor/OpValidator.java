package io.mrt.processor;

import io.mrt.annotations.Attr;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.NestingKind;
import javax.lang.model.element.PackageElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.ArrayType;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;

/**
 * Validates one {@code @MrtOp} class and builds its {@link OpModel}. Every problem is reported, not
 * only the first, each on the element, the {@code @MrtOp} mirror (or the nested {@code @Attr} /
 * {@code @When}) and the offending value where there is one. Never throws on erroneous source.
 */
final class OpValidator {
  /** Qualified name of {@code @MrtOp}. */
  static final String MRT_OP = "io.mrt.annotations.MrtOp";

  private static final Pattern OP_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private final Elements elements;
  private final Types types;
  private final Reporter reporter;

  OpValidator(Elements elements, Types types, Reporter reporter) {
    this.elements = elements;
    this.types = types;
    this.reporter = reporter;
  }

  /**
   * Whether {@code type} still refers to types that javac could not resolve (in its supertypes or
   * in an {@code @Attr} type): another processor may generate them in a later round, so the class is
   * validated then.
   */
  boolean unresolved(TypeElement type) {
    if (hasErrorSupertype(type.asType(), new HashSet<>())) {
      return true;
    }
    Optional<AnnotationMirror> m = Annotations.mirror(type, MRT_OP);
    if (m.isEmpty()) {
      return false;
    }
    for (AnnotationValue av : Annotations.list(Annotations.value(elements, m.get(), "attrs"))) {
      AnnotationMirror am = Annotations.annotation(av);
      TypeMirror t = am == null ? null : Annotations.type(Annotations.value(elements, am, "type"));
      if (t != null && t.getKind() == TypeKind.ERROR) {
        return true;
      }
    }
    return false;
  }

  private boolean hasErrorSupertype(TypeMirror t, Set<String> seen) {
    if (t.getKind() == TypeKind.ERROR) {
      return true;
    }
    if (t.getKind() != TypeKind.DECLARED || !seen.add(t.toString())) {
      return false;
    }
    for (TypeMirror s : types.directSupertypes(t)) {
      if (hasErrorSupertype(s, seen)) {
        return true;
      }
    }
    TypeElement e = (TypeElement) ((DeclaredType) t).asElement();
    for (TypeMirror i : e.getInterfaces()) {
      if (i.getKind() == TypeKind.ERROR) {
        return true;
      }
    }
    return e.getSuperclass().getKind() == TypeKind.ERROR;
  }

  /** The model of a valid op class; empty (with every error reported) otherwise. */
  Optional<OpModel> validate(Element e) {
    AnnotationMirror m = Annotations.mirror(e, MRT_OP).orElse(null);
    if (m == null) {
      return Optional.empty(); // not ours (cannot happen for elements annotated with @MrtOp)
    }
    if (e.getKind() != ElementKind.CLASS) {
      reporter.error(Messages.NOT_A_CLASS + kindName(e.getKind()), e, m, null);
      return Optional.empty();
    }
    TypeElement type = (TypeElement) e;
    int before = reporter.errorCount();

    checkClass(type, m);
    Set<HookKind> hooks = hooks(type, m);
    List<String> names = names(type, m);
    When when = when(type, m);
    List<OpModel.AttrModel> attrs = attrs(type, m);
    List<String> emits = emits(type, m);
    int inputPrecision = inputPrecision(type, m);
    Boolean restorable = Annotations.bool(Annotations.value(elements, m, "restorable"));

    if (reporter.errorCount() != before || hooks == null || names.isEmpty() || when == null) {
      return Optional.empty();
    }
    String key = names.get(0) + (when.attr().isEmpty() ? ""
        : "[" + when.attr() + "=" + String.join("|", new TreeSet<>(when.values())) + "]");
    List<String> simpleNames = new ArrayList<>();
    Element c = type;
    while (c instanceof TypeElement t) {
      simpleNames.add(0, t.getSimpleName().toString());
      c = t.getEnclosingElement();
    }
    String pkg = elements.getPackageOf(type).getQualifiedName().toString();
    return Optional.of(new OpModel(key, pkg, simpleNames, elements.getBinaryName(type).toString(),
        names, when.attr(), when.values(), attrs, restorable == null || restorable, emits,
        inputPrecision, hooks));
  }

  private static String kindName(ElementKind kind) {
    return switch (kind) {
      case ANNOTATION_TYPE -> "an annotation type";
      case INTERFACE -> "an interface";
      case ENUM -> "an enum";
      case RECORD -> "a record";
      default -> kind.name().toLowerCase(Locale.ROOT);
    };
  }

  /** Public, concrete, static if nested, not generic, public no-arg constructor. */
  private void checkClass(TypeElement type, AnnotationMirror m) {
    boolean reachable = true;
    for (Element c = type; c instanceof TypeElement t; c = t.getEnclosingElement()) {
      reachable &= t.getModifiers().contains(Modifier.PUBLIC);
    }
    if (!reachable) {
      reporter.error(Messages.NOT_PUBLIC, type, m, null);
    }
    if (type.getModifiers().contains(Modifier.ABSTRACT)) {
      reporter.error(Messages.ABSTRACT, type, m, null);
    }
    if (type.getNestingKind() != NestingKind.TOP_LEVEL && !type.getModifiers().contains(Modifier.STATIC)) {
      reporter.error(Messages.INNER_CLASS, type, m, null);
    }
    if (!type.getTypeParameters().isEmpty()) {
      reporter.error(Messages.GENERIC, type, m, null);
    }
    ExecutableElement noArg = null;
    for (ExecutableElement c : ElementFilter.constructorsIn(type.getEnclosedElements())) {
      if (c.getParameters().isEmpty() && c.getModifiers().contains(Modifier.PUBLIC)) {
        noArg = c;
      }
    }
    if (noArg == null) {
      reporter.error(Messages.NO_CONSTRUCTOR.replace("NAME", type.getSimpleName()), type, m, null);
      return;
    }
    TypeElement runtime = elements.getTypeElement("java.lang.RuntimeException");
    TypeElement error = elements.getTypeElement("java.lang.Error");
    for (TypeMirror thrown : noArg.getThrownTypes()) {
      boolean unchecked = (runtime != null && types.isSubtype(thrown, runtime.asType()))
          || (error != null && types.isSubtype(thrown, error.asType()));
      if (!unchecked) {
        reporter.error(Messages.CONSTRUCTOR_THROWS + thrown, type, m, null);
      }
    }
  }

  /** The hooks the class implements; null when mrt-api is missing. */
  private Set<HookKind> hooks(TypeElement type, AnnotationMirror m) {
    Set<HookKind> hooks = EnumSet.noneOf(HookKind.class);
    boolean apiPresent = false;
    for (HookKind h : HookKind.values()) {
      TypeElement hook = elements.getTypeElement(h.qualifiedIface());
      if (hook == null) {
        continue;
      }
      apiPresent = true;
      if (types.isAssignable(type.asType(), types.erasure(hook.asType()))) {
        hooks.add(h);
      }
    }
    if (!apiPresent) {
      reporter.error(Messages.NO_API, type, m, null);
      return null;
    }
    if (hooks.isEmpty()) {
      reporter.error(Messages.NO_HOOK, type, m, null);
    }
    return hooks;
  }

  private List<String> names(TypeElement type, AnnotationMirror m) {
    AnnotationValue array = Annotations.value(elements, m, "value");
    List<String> names = new ArrayList<>();
    boolean reported = false;
    for (AnnotationValue nv : Annotations.list(array)) {
      String n = Annotations.string(nv);
      if (n == null) {
        reported = true; // erroneous source: javac reports it
      } else if (n.isBlank()) {
        reporter.error(Messages.MISSING_NAME, type, m, nv);
        reported = true;
      } else if (!OP_NAME.matcher(n).matches()) {
        reporter.error(Messages.BAD_NAME + "'" + n + "'", type, m, nv);
        reported = true;
      } else if (names.contains(n)) {
        reporter.error(Messages.DUPLICATE_NAME_IN_OP + n, type, m, nv);
        reported = true;
      } else {
        names.add(n);
      }
    }
    if (names.isEmpty() && !reported) {
      reporter.error(Messages.MISSING_NAME, type, m, array);
    }
    return names;
  }

  /** The discriminating attribute and values ({@code ""} and none when unkeyed); null if invalid. */
  private When when(TypeElement type, AnnotationMirror m) {
    AnnotationValue array = Annotations.value(elements, m, "when");
    List<AnnotationValue> whens = Annotations.list(array);
    if (whens.isEmpty()) {
      return new When("", List.of());
    }
    if (whens.size() > 1) {
      reporter.error(Messages.MANY_WHEN, type, m, array);
      return null;
    }
    AnnotationValue wv = whens.get(0);
    AnnotationMirror wm = Annotations.annotation(wv);
    if (wm == null) {
      return null; // erroneous source
    }
    String attr = Annotations.string(Annotations.value(elements, wm, "attr"));
    Set<String> values = new LinkedHashSet<>();
    boolean blankValue = false;
    for (AnnotationValue x : Annotations.list(Annotations.value(elements, wm, "equals"))) {
      String s = Annotations.string(x);
      blankValue |= s == null || s.isBlank();
      values.add(s);
    }
    if (attr == null || attr.isBlank() || values.isEmpty() || blankValue) {
      reporter.error(Messages.BAD_WHEN, type, wm, null);
      return null;
    }
    return new When(attr, List.copyOf(values));
  }

  private List<OpModel.AttrModel> attrs(TypeElement type, AnnotationMirror m) {
    List<OpModel.AttrModel> attrs = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (AnnotationValue av : Annotations.list(Annotations.value(elements, m, "attrs"))) {
      AnnotationMirror am = Annotations.annotation(av);
      if (am == null) {
        continue; // erroneous source
      }
      AnnotationValue nameValue = Annotations.value(elements, am, "name");
      AnnotationValue typeValue = Annotations.value(elements, am, "type");
      String name = Annotations.string(nameValue);
      TypeMirror t = Annotations.type(typeValue);
      if (name == null || t == null) {
        continue; // erroneous source
      }
      if (name.isBlank()) {
        reporter.error(Messages.EMPTY_ATTR_NAME, type, am, nameValue);
        continue;
      }
      if (!seen.add(name)) {
        reporter.error(Messages.DUPLICATE_ATTR + name, type, am, nameValue);
        continue;
      }
      String attrType = attrType(t);
      if (attrType == null) {
        reporter.error(Messages.BAD_ATTR_TYPE + name + " is " + t, type, am, typeValue);
        continue;
      }
      AnnotationValue defaultValue = Annotations.value(elements, am, "defaultValue");
      String dflt = Annotations.string(defaultValue);
      if (dflt == null || dflt.equals(Attr.REQUIRED)) {
        dflt = null;
      } else if (!AttrDefaults.parses(attrType, dflt)) {
        reporter.error(Messages.BAD_DEFAULT + name + " = \"" + dflt + "\" is not a " + t,
            type, am, defaultValue);
        continue;
      }
      attrs.add(new OpModel.AttrModel(name, attrType, dflt));
    }
    return attrs;
  }

  private List<String> emits(TypeElement type, AnnotationMirror m) {
    Set<String> emits = new LinkedHashSet<>();
    for (AnnotationValue ev : Annotations.list(Annotations.value(elements, m, "emits"))) {
      String op = Annotations.string(ev);
      if (op == null) {
        continue;
      }
      if (!CvmOps.contains(op)) {
        String hint = CvmOps.suggest(op).map(s -> " (did you mean " + s + "?)").orElse("");
        reporter.error(Messages.UNKNOWN_CVM_OP + op + hint, type, m, ev);
      } else {
        emits.add(op);
      }
    }
    return List.copyOf(emits);
  }

  private int inputPrecision(TypeElement type, AnnotationMirror m) {
    AnnotationValue v = Annotations.value(elements, m, "inputPrecision");
    Integer p = Annotations.integer(v);
    if (p == null) {
      return 0;
    }
    if (p < 0 || p > 32) {
      reporter.error(Messages.BAD_PRECISION + p, type, m, v);
    }
    return p;
  }

  /**
   * The {@code io.mrt.api.registry.AttrType} constant for a declared attribute class, or null if
   * MXNet's string form cannot be parsed into it. Boxed types are accepted as their primitives.
   */
  static String attrType(TypeMirror t) {
    if (t.getKind() == TypeKind.ARRAY) {
      return switch (((ArrayType) t).getComponentType().getKind()) {
        case INT -> "INTS";
        case LONG -> "LONGS";
        case FLOAT -> "FLOATS";
        case DOUBLE -> "DOUBLES";
        default -> null;
      };
    }
    switch (t.getKind()) {
      case BOOLEAN -> {
        return "BOOL";
      }
      case INT -> {
        return "INT";
      }
      case LONG -> {
        return "LONG";
      }
      case FLOAT -> {
        return "FLOAT";
      }
      case DOUBLE -> {
        return "DOUBLE";
      }
      case DECLARED -> {
        Element e = ((DeclaredType) t).asElement();
        if (!(e instanceof TypeElement te) || !(te.getEnclosingElement() instanceof PackageElement)) {
          return null;
        }
        return switch (te.getQualifiedName().toString()) {
          case "java.lang.Boolean" -> "BOOL";
          case "java.lang.Integer" -> "INT";
          case "java.lang.Long" -> "LONG";
          case "java.lang.Float" -> "FLOAT";
          case "java.lang.Double" -> "DOUBLE";
          case "java.lang.String" -> "STRING";
          default -> null;
        };
      }
      default -> {
        return null;
      }
    }
  }

  /** A validated {@code @When}: attribute and values, or {@code ""} and none. */
  private record When(String attr, List<String> values) {}
}
