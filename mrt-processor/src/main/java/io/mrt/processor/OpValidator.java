package io.mrt.processor;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import javax.annotation.processing.ProcessingEnvironment;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.NestingKind;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.ElementFilter;
import javax.tools.Diagnostic;

/**
 * Validates one {@code @MrtOp} element and builds its {@link OpModel}. Every problem is reported on
 * the element and the annotation mirror (and the annotation value where there is one).
 */
final class OpValidator {
  /** Hook interface simple names, in {@code Hook} enum order, and their enum constants. */
  static final Map<String, String> HOOKS = new LinkedHashMap<>();

  static {
    HOOKS.put("InferShapeHook", "INFER_SHAPE");
    HOOKS.put("ForwardHook", "FORWARD");
    HOOKS.put("FuseTransposeHook", "FUSE_TRANSPOSE");
    HOOKS.put("RewriteHook", "REWRITE");
    HOOKS.put("CalibrateHook", "CALIBRATE");
    HOOKS.put("QuantizeHook", "QUANTIZE");
    HOOKS.put("InferPrecisionHook", "INFER_PRECISION");
    HOOKS.put("LowerToCvmHook", "LOWER_TO_CVM");
  }

  private final ProcessingEnvironment env;
  private final Map<String, TypeElement> elements = new HashMap<>();
  private boolean failed;

  OpValidator(ProcessingEnvironment env) {
    this.env = env;
  }

  boolean failed() {
    return failed;
  }

  /** Op class name to its element, for diagnostics after validation. */
  Map<String, TypeElement> elements() {
    return elements;
  }

  private void error(String msg, Element e, AnnotationMirror m, AnnotationValue v) {
    failed = true;
    if (v != null) {
      env.getMessager().printMessage(Diagnostic.Kind.ERROR, msg, e, m, v);
    } else if (m != null) {
      env.getMessager().printMessage(Diagnostic.Kind.ERROR, msg, e, m);
    } else {
      env.getMessager().printMessage(Diagnostic.Kind.ERROR, msg, e);
    }
  }

  private static AnnotationMirror mirror(Element e, String type) {
    for (AnnotationMirror m : e.getAnnotationMirrors()) {
      if (((TypeElement) m.getAnnotationType().asElement()).getQualifiedName().contentEquals(type)) {
        return m;
      }
    }
    return null;
  }

  private Map<String, AnnotationValue> values(AnnotationMirror m) {
    Map<String, AnnotationValue> out = new HashMap<>();
    for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> en
        : env.getElementUtils().getElementValuesWithDefaults(m).entrySet()) {
      out.put(en.getKey().getSimpleName().toString(), en.getValue());
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static List<AnnotationValue> list(AnnotationValue v) {
    return v == null ? List.of() : (List<AnnotationValue>) v.getValue();
  }

  Optional<OpModel> validate(Element e) {
    AnnotationMirror m = mirror(e, MrtOpProcessor.MRT_OP);
    if (e.getKind() != ElementKind.CLASS) {
      error(Messages.NOT_A_CLASS, e, m, null);
      return Optional.empty();
    }
    TypeElement type = (TypeElement) e;
    boolean ok = true;
    if (!type.getModifiers().contains(Modifier.PUBLIC)) {
      error(Messages.NOT_PUBLIC, e, m, null);
      ok = false;
    }
    if (type.getModifiers().contains(Modifier.ABSTRACT)) {
      error(Messages.ABSTRACT, e, m, null);
      ok = false;
    }
    if (type.getNestingKind() == NestingKind.MEMBER && !type.getModifiers().contains(Modifier.STATIC)) {
      error(Messages.INNER_CLASS, e, m, null);
      ok = false;
    }
    boolean ctor = false;
    for (ExecutableElement c : ElementFilter.constructorsIn(type.getEnclosedElements())) {
      if (c.getParameters().isEmpty() && c.getModifiers().contains(Modifier.PUBLIC)) {
        ctor = true;
      }
    }
    if (!ctor) {
      error(Messages.NO_CONSTRUCTOR.replace("NAME", type.getSimpleName()), e, m, null);
      ok = false;
    }
    Set<String> hooks = new LinkedHashSet<>();
    boolean apiPresent = false;
    for (Map.Entry<String, String> h : HOOKS.entrySet()) {
      TypeElement hook = env.getElementUtils().getTypeElement("io.mrt.api.hook." + h.getKey());
      if (hook == null) {
        continue;
      }
      apiPresent = true;
      if (env.getTypeUtils().isAssignable(type.asType(), env.getTypeUtils().erasure(hook.asType()))) {
        hooks.add(h.getValue());
      }
    }
    if (!apiPresent) {
      error(Messages.NO_API, e, m, null);
      return Optional.empty();
    }
    if (hooks.isEmpty()) {
      error(Messages.NO_HOOK, e, m, null);
      ok = false;
    }

    Map<String, AnnotationValue> v = values(m);
    List<String> names = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (AnnotationValue nv : list(v.get("value"))) {
      String n = (String) nv.getValue();
      if (n.isBlank()) {
        error(Messages.MISSING_NAME, e, m, nv);
        ok = false;
      } else if (!seen.add(n)) {
        error(Messages.DUPLICATE_NAME_IN_OP + n, e, m, nv);
        ok = false;
      } else {
        names.add(n);
      }
    }
    if (names.isEmpty() && ok) {
      error(Messages.MISSING_NAME, e, m, v.get("value"));
      ok = false;
    }

    String whenAttr = "";
    List<String> whenValues = new ArrayList<>();
    List<AnnotationValue> whens = list(v.get("when"));
    if (whens.size() > 1) {
      error(Messages.BAD_WHEN + " (give one @When)", e, m, v.get("when"));
      ok = false;
    }
    for (AnnotationValue wv : whens) {
      AnnotationMirror wm = (AnnotationMirror) wv.getValue();
      Map<String, AnnotationValue> w = values(wm);
      whenAttr = (String) w.get("attr").getValue();
      for (AnnotationValue x : list(w.get("equals"))) {
        whenValues.add((String) x.getValue());
      }
      if (whenAttr.isBlank() || whenValues.isEmpty()) {
        error(Messages.BAD_WHEN, e, m, wv);
        ok = false;
      }
    }

    List<OpModel.AttrModel> attrs = new ArrayList<>();
    Set<String> attrNames = new HashSet<>();
    for (AnnotationValue av : list(v.get("attrs"))) {
      AnnotationMirror am = (AnnotationMirror) av.getValue();
      Map<String, AnnotationValue> a = values(am);
      String name = (String) a.get("name").getValue();
      TypeMirror t = (TypeMirror) a.get("type").getValue();
      String attrType = attrType(t);
      if (attrType == null) {
        error(Messages.BAD_ATTR_TYPE + name + " is " + t, e, am, a.get("type"));
        ok = false;
        continue;
      }
      if (!attrNames.add(name)) {
        error(Messages.DUPLICATE_ATTR + name, e, am, a.get("name"));
        ok = false;
        continue;
      }
      String dflt = (String) a.get("defaultValue").getValue();
      if ("\u0000required".equals(dflt)) {
        dflt = null;
      } else if (!AttrDefaults.parses(attrType, dflt)) {
        error(Messages.BAD_DEFAULT + name + " = '" + dflt + "' is not a " + t, e, am, a.get("defaultValue"));
        ok = false;
        continue;
      }
      attrs.add(new OpModel.AttrModel(name, attrType, dflt));
    }

    List<String> emits = new ArrayList<>();
    for (AnnotationValue ev : list(v.get("emits"))) {
      String op = (String) ev.getValue();
      if (!CvmOps.ALL.contains(op)) {
        error(Messages.UNKNOWN_CVM_OP + op, e, m, ev);
        ok = false;
      } else if (!emits.contains(op)) {
        emits.add(op);
      }
    }
    int inputPrecision = (Integer) v.get("inputPrecision").getValue();
    if (inputPrecision < 0 || inputPrecision > 32) {
      error(Messages.BAD_PRECISION + inputPrecision, e, m, v.get("inputPrecision"));
      ok = false;
    }
    boolean restorable = (Boolean) v.get("restorable").getValue();
    if (!ok) {
      return Optional.empty();
    }
    String key = names.get(0) + (whenAttr.isEmpty() ? "" : "[" + whenAttr + "=" + String.join("|", new TreeSet<>(whenValues)) + "]");
    String className = env.getElementUtils().getBinaryName(type).toString();
    elements.put(className, type);
    return Optional.of(new OpModel(key, className, List.copyOf(names), whenAttr, List.copyOf(whenValues),
        List.copyOf(attrs), restorable, List.copyOf(emits), inputPrecision, Set.copyOf(hooks)));
  }

  /** The AttrType constant for a declared attribute class, or null if it cannot be parsed. */
  static String attrType(TypeMirror t) {
    if (t.getKind() == TypeKind.ARRAY) {
      String c = ((javax.lang.model.type.ArrayType) t).getComponentType().toString();
      return switch (c) {
        case "int" -> "INTS";
        case "long" -> "LONGS";
        case "float" -> "FLOATS";
        case "double" -> "DOUBLES";
        default -> null;
      };
    }
    return switch (t.toString()) {
      case "boolean", "java.lang.Boolean" -> "BOOL";
      case "int", "java.lang.Integer" -> "INT";
      case "long", "java.lang.Long" -> "LONG";
      case "float", "java.lang.Float" -> "FLOAT";
      case "double", "java.lang.Double" -> "DOUBLE";
      case "java.lang.String" -> "STRING";
      default -> null;
    };
  }
}
