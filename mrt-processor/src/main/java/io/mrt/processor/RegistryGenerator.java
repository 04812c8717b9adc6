package io.mrt.processor;

import com.palantir.javapoet.AnnotationSpec;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import com.palantir.javapoet.TypeVariableName;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.annotation.processing.Filer;
import javax.lang.model.element.Element;
import javax.lang.model.element.Modifier;
import javax.tools.FileObject;
import javax.tools.StandardLocation;

/**
 * Writes the registry class and its {@code META-INF/services} registration from a
 * {@link RegistryModel}. Only this class touches JavaPoet.
 *
 * <p>The class is {@code final} and {@code @Generated}; it holds one instance per op class, the
 * descriptors, and one unmodifiable table per stage from descriptor key to the op instance typed
 * as the stage's hook interface. Every table iterates in key order. The output depends only on the
 * model (ops sorted by key, hooks in stage order, attributes in declaration order), so two builds
 * give identical bytes whatever the order javac sees the sources in.
 */
final class RegistryGenerator {
  /** Where the registry is registered as a service. */
  static final String SERVICE_FILE = "META-INF/services/io.mrt.api.registry.OpRegistry";

  private static final String REGISTRY_PACKAGE = "io.mrt.api.registry";
  private static final ClassName REGISTRY = ClassName.get(REGISTRY_PACKAGE, "OpRegistry");
  private static final ClassName DESCRIPTOR = ClassName.get(REGISTRY_PACKAGE, "OpDescriptor");
  private static final ClassName ATTR_SPEC = ClassName.get(REGISTRY_PACKAGE, "AttrSpec");
  private static final ClassName ATTR_TYPE = ClassName.get(REGISTRY_PACKAGE, "AttrType");
  private static final ClassName HOOK = ClassName.get(REGISTRY_PACKAGE, "Hook");
  private static final ClassName HOOK_TYPE = ClassName.get(REGISTRY_PACKAGE, "HookType");
  private static final ClassName LIST = ClassName.get("java.util", "List");
  private static final ClassName MAP = ClassName.get("java.util", "Map");
  private static final ClassName SET = ClassName.get("java.util", "Set");
  private static final ClassName LINKED_HASH_MAP = ClassName.get("java.util", "LinkedHashMap");
  private static final ClassName COLLECTIONS = ClassName.get("java.util", "Collections");
  private static final ClassName GENERATED = ClassName.get("javax.annotation.processing", "Generated");

  private final Filer filer;
  private final boolean generatedAvailable;

  /**
   * @param filer where to write
   * @param generatedAvailable whether {@code javax.annotation.processing.Generated} is on the
   *     compile class path (it is for {@code --release 9} and later)
   */
  RegistryGenerator(Filer filer, boolean generatedAvailable) {
    this.filer = filer;
    this.generatedAvailable = generatedAvailable;
  }

  /** Writes the class and the service file; {@code origins} are the op classes' elements. */
  void write(RegistryModel model, List<? extends Element> origins) throws IOException {
    javaFile(model, origins).writeTo(filer);
    FileObject services = filer.createResource(StandardLocation.CLASS_OUTPUT, "", SERVICE_FILE,
        origins.toArray(new Element[0]));
    try (Writer w = new OutputStreamWriter(services.openOutputStream(), StandardCharsets.UTF_8)) {
      w.write(serviceFile(model));
    }
  }

  /** The content of the service file: the registry's binary name and a newline. */
  static String serviceFile(RegistryModel model) {
    return model.qualifiedName() + "\n";
  }

  JavaFile javaFile(RegistryModel model, List<? extends Element> origins) {
    Map<OpModel, String> fields = fieldNames(model.ops());
    TypeSpec.Builder type = TypeSpec.classBuilder(model.simpleName())
        .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
        .addSuperinterface(REGISTRY)
        .addJavadoc(classJavadoc(model));
    if (generatedAvailable) {
      type.addAnnotation(AnnotationSpec.builder(GENERATED)
          .addMember("value", "$S", MrtOpProcessor.class.getName()).build());
    }
    origins.forEach(type::addOriginatingElement);

    type.addField(FieldSpec.builder(String.class, "NAME", Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
        .addJavadoc("The name this registry reports.\n")
        .initializer("$S", model.registryName()).build());
    for (OpModel op : model.ops()) {
      ClassName cls = className(op);
      type.addField(FieldSpec.builder(cls, fields.get(op), Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
          .initializer("new $T()", cls).build());
    }
    type.addField(FieldSpec.builder(ParameterizedTypeName.get(LIST, DESCRIPTOR), "OPS",
        Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL).initializer(descriptors(model.ops())).build());

    List<CodeBlock> tables = new ArrayList<>();
    for (HookKind hook : HookKind.values()) {
      ClassName hookType = ClassName.get(HookKind.PACKAGE, hook.iface());
      ParameterizedTypeName mapType = ParameterizedTypeName.get(MAP, ClassName.get(String.class), hookType);
      type.addField(FieldSpec.builder(mapType, hook.tableField(), Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
          .build());
      List<OpModel> with = model.ops().stream().filter(o -> o.hooks().contains(hook)).toList();
      tables.add(table(hook, mapType, with, fields));
    }
    type.addStaticBlock(CodeBlock.join(tables, "\n"));

    type.addMethod(MethodSpec.constructorBuilder().addModifiers(Modifier.PUBLIC)
        .addJavadoc("Called by {@link java.util.ServiceLoader}.\n").build());
    type.addMethod(getter("name", ClassName.get(String.class), "NAME"));
    type.addMethod(getter("ops", ParameterizedTypeName.get(LIST, DESCRIPTOR), "OPS"));
    type.addMethod(hookLookup());
    return JavaFile.builder(model.packageName(), type.build())
        .skipJavaLangImports(true)
        .indent("  ")
        .build();
  }

  /** The statements that fill one stage's table, in key order; {@code Map.of()} when empty. */
  private static CodeBlock table(HookKind hook, TypeName mapType, List<OpModel> with, Map<OpModel, String> fields) {
    CodeBlock.Builder b = CodeBlock.builder();
    if (with.isEmpty()) {
      return b.addStatement("$N = $T.of()", hook.tableField(), MAP).build();
    }
    String local = hook.local();
    b.addStatement("$T $N = new $T<>()", mapType, local, LINKED_HASH_MAP);
    for (OpModel op : with) {
      b.addStatement("$N.put($S, $N)", local, op.key(), fields.get(op));
    }
    return b.addStatement("$N = $T.unmodifiableMap($N)", hook.tableField(), COLLECTIONS, local).build();
  }

  /**
   * {@code hook(HookType<H> type, String op)}: a switch on the kind picks the table, the cast to the
   * kind's interface is checked; a kind newer than this registry has no table (so no hook).
   */
  private static MethodSpec hookLookup() {
    TypeVariableName h = TypeVariableName.get("H");
    CodeBlock.Builder cases = CodeBlock.builder()
        .add("$T<$T, ?> table = switch (type.hook()) {\n$>", MAP, String.class);
    for (HookKind hook : HookKind.values()) {
      cases.add("case $L -> $N;\n", hook.name(), hook.tableField());
    }
    cases.add("default -> $T.of();\n", MAP).add("$<};\n");
    return MethodSpec.methodBuilder("hook").addAnnotation(Override.class)
        .addModifiers(Modifier.PUBLIC).addTypeVariable(h).returns(h)
        .addParameter(ParameterizedTypeName.get(HOOK_TYPE, h), "type")
        .addParameter(String.class, "op")
        .addCode(cases.build())
        .addStatement("return type.type().cast(table.get(op))")
        .build();
  }

  private static CodeBlock classJavadoc(RegistryModel model) {
    CodeBlock.Builder doc = CodeBlock.builder()
        .add("The op registry $S, generated by the @MrtOp processor. Do not edit.\n", model.registryName())
        .add("\n<p>It holds one instance of each op class and, per stage, a table from the descriptor key\n")
        .add("to that instance typed as the stage's hook interface. Tables iterate in key order.\n")
        .add("\n<ul>\n");
    for (OpModel op : model.ops()) {
      doc.add("  <li>{@code $L}: {@link $T}\n", op.key(), className(op));
    }
    return doc.add("</ul>\n").build();
  }

  private static MethodSpec getter(String name, TypeName returns, String field) {
    return MethodSpec.methodBuilder(name).addAnnotation(Override.class)
        .addModifiers(Modifier.PUBLIC).returns(returns).addStatement("return $N", field).build();
  }

  private static ClassName className(OpModel op) {
    List<String> names = op.simpleNames();
    return ClassName.get(op.packageName(), names.get(0),
        names.subList(1, names.size()).toArray(new String[0]));
  }

  /** {@code OP_} plus the key in upper snake case; a suffix keeps clashing names apart. */
  static Map<OpModel, String> fieldNames(List<OpModel> ops) {
    Map<OpModel, String> out = new LinkedHashMap<>();
    Set<String> used = new HashSet<>();
    for (OpModel op : ops) {
      String base = "OP_" + upperSnake(op.key());
      String name = base;
      for (int i = 2; !used.add(name); i++) {
        name = base + "_" + i;
      }
      out.put(op, name);
    }
    return out;
  }

  private static String upperSnake(String key) {
    StringBuilder b = new StringBuilder();
    char prev = '_';
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      boolean word = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
      if (!word) {
        c = '_';
      } else if (Character.isUpperCase(c) && Character.isLowerCase(prev)) {
        b.append('_');
      }
      if (c != '_' || prev != '_') {
        b.append(c);
      }
      prev = c;
    }
    int end = b.length();
    while (end > 0 && b.charAt(end - 1) == '_') {
      end--;
    }
    return b.substring(0, end).toUpperCase(Locale.ROOT);
  }

  private static CodeBlock descriptors(List<OpModel> ops) {
    List<CodeBlock> each = new ArrayList<>();
    for (OpModel op : ops) {
      each.add(descriptor(op));
    }
    return CodeBlock.builder()
        .add("$T.of(\n$>$>", LIST)
        .add(CodeBlock.join(each, ",\n"))
        .add(")$<$<")
        .build();
  }

  private static CodeBlock descriptor(OpModel op) {
    CodeBlock.Builder b = CodeBlock.builder()
        .add("new $T(\n$>$>", DESCRIPTOR)
        .add("$S,\n", op.key())
        .add("$L, $S, $L,\n", strings(op.names()), op.whenAttr(), strings(op.whenValues()));
    if (op.attrs().isEmpty()) {
      b.add("$T.of(),\n", LIST);
    } else {
      b.add("$T.of(\n$>$>", LIST);
      for (int i = 0; i < op.attrs().size(); i++) {
        OpModel.AttrModel a = op.attrs().get(i);
        b.add("new $T($S, $T.$L, $S)", ATTR_SPEC, a.name(), ATTR_TYPE, a.type(), a.defaultValue())
            .add(i + 1 < op.attrs().size() ? ",\n" : "),\n");
      }
      b.add("$<$<");
    }
    List<CodeBlock> hooks = new ArrayList<>();
    for (HookKind h : op.hooks()) {
      hooks.add(CodeBlock.of("$T.$L", HOOK, h.name()));
    }
    return b.add("$L, $L, $L,\n", op.restorable(), strings(op.emits()), op.inputPrecision())
        .add("$T.of($L),\n", SET, CodeBlock.join(hooks, ", "))
        .add("$S)$<$<", op.binaryName())
        .build();
  }

  private static CodeBlock strings(List<String> values) {
    List<CodeBlock> each = values.stream().map(v -> CodeBlock.of("$S", v)).toList();
    return CodeBlock.of("$T.of($L)", LIST, CodeBlock.join(each, ", "));
  }
}
