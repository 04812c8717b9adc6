package io.mrt.processor;

import com.palantir.javapoet.AnnotationSpec;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeSpec;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.annotation.processing.Filer;
import javax.lang.model.element.Element;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.tools.FileObject;
import javax.tools.StandardLocation;

/**
 * Writes the registry class and its service registration. Only this class touches JavaPoet. The
 * output depends only on the sorted models, so two builds give identical bytes.
 */
final class RegistryGenerator {
  static final String API = "io.mrt.api";
  private static final ClassName REGISTRY = ClassName.get(API + ".registry", "OpRegistry");
  private static final ClassName DESCRIPTOR = ClassName.get(API + ".registry", "OpDescriptor");
  private static final ClassName ATTR_SPEC = ClassName.get(API + ".registry", "AttrSpec");
  private static final ClassName ATTR_TYPE = ClassName.get(API + ".registry", "AttrType");
  private static final ClassName HOOK = ClassName.get(API + ".registry", "Hook");
  private static final ClassName LIST = ClassName.get(List.class);
  private static final ClassName MAP = ClassName.get(Map.class);
  private static final ClassName SET = ClassName.get("java.util", "Set");
  private static final ClassName GENERATED = ClassName.get("javax.annotation.processing", "Generated");

  private final Filer filer;

  RegistryGenerator(Filer filer) {
    this.filer = filer;
  }

  void write(String qualified, String registryName, List<OpModel> ops, Map<String, TypeElement> elements)
      throws IOException {
    int dot = qualified.lastIndexOf('.');
    String pkg = dot < 0 ? "" : qualified.substring(0, dot);
    String simple = qualified.substring(dot + 1);
    TypeSpec.Builder type = TypeSpec.classBuilder(simple)
        .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
        .addSuperinterface(REGISTRY)
        .addAnnotation(AnnotationSpec.builder(GENERATED)
            .addMember("value", "$S", MrtOpProcessor.class.getName()).build())
        .addJavadoc("The op registry of $S, generated from its @MrtOp classes. Do not edit.\n", registryName);
    for (OpModel op : ops) {
      Element origin = elements.get(op.className());
      if (origin != null) {
        type.addOriginatingElement(origin);
      }
    }

    type.addField(FieldSpec.builder(String.class, "NAME", Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
        .initializer("$S", registryName).build());
    for (OpModel op : ops) {
      ClassName cls = ClassName.bestGuess(op.className().replace('$', '.'));
      type.addField(FieldSpec.builder(cls, field(op), Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
          .initializer("new $T()", cls).build());
    }

    CodeBlock.Builder descriptors = CodeBlock.builder().add("$T.of(\n", LIST).indent();
    for (int i = 0; i < ops.size(); i++) {
      descriptors.add(descriptor(ops.get(i))).add(i + 1 < ops.size() ? ",\n" : "\n");
    }
    descriptors.unindent().add(")");
    type.addField(FieldSpec.builder(ParameterizedTypeName.get(LIST, DESCRIPTOR), "OPS",
        Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL).initializer(descriptors.build()).build());

    type.addMethod(MethodSpec.constructorBuilder().addModifiers(Modifier.PUBLIC)
        .addJavadoc("Called by {@link java.util.ServiceLoader}.\n").build());
    type.addMethod(MethodSpec.methodBuilder("name").addAnnotation(Override.class)
        .addModifiers(Modifier.PUBLIC).returns(String.class).addStatement("return NAME").build());
    type.addMethod(MethodSpec.methodBuilder("ops").addAnnotation(Override.class)
        .addModifiers(Modifier.PUBLIC).returns(ParameterizedTypeName.get(LIST, DESCRIPTOR))
        .addStatement("return OPS").build());

    for (Map.Entry<String, String> hook : OpValidator.HOOKS.entrySet()) {
      String iface = hook.getKey();
      String constant = hook.getValue();
      ClassName hookType = ClassName.get(API + ".hook", iface);
      String fieldName = constant + "_HOOKS";
      CodeBlock.Builder table = CodeBlock.builder();
      List<OpModel> with = ops.stream().filter(o -> o.hooks().contains(constant)).toList();
      if (with.isEmpty()) {
        table.add("$T.of()", MAP);
      } else {
        table.add("$T.ofEntries(\n", MAP).indent();
        for (int i = 0; i < with.size(); i++) {
          table.add("$T.entry($S, $N)", MAP, with.get(i).key(), field(with.get(i)))
              .add(i + 1 < with.size() ? ",\n" : "\n");
        }
        table.unindent().add(")");
      }
      ParameterizedTypeName mapType = ParameterizedTypeName.get(MAP, ClassName.get(String.class), hookType);
      type.addField(FieldSpec.builder(mapType, fieldName, Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
          .initializer(table.build()).build());
      String method = Character.toLowerCase(iface.charAt(0)) + iface.substring(1, iface.length() - 4) + "Hooks";
      type.addMethod(MethodSpec.methodBuilder(method).addAnnotation(Override.class)
          .addModifiers(Modifier.PUBLIC).returns(mapType).addStatement("return $N", fieldName).build());
    }

    JavaFile.builder(pkg, type.build()).skipJavaLangImports(true).indent("  ").build().writeTo(filer);

    FileObject services = filer.createResource(StandardLocation.CLASS_OUTPUT, "",
        "META-INF/services/" + REGISTRY.canonicalName());
    try (Writer w = new java.io.OutputStreamWriter(services.openOutputStream(), StandardCharsets.UTF_8)) {
      w.write(qualified + "\n");
    }
  }

  private static String field(OpModel op) {
    String s = op.key().replaceAll("[^A-Za-z0-9]+", "_").replaceAll("_+$", "");
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (i > 0 && Character.isUpperCase(c) && Character.isLowerCase(s.charAt(i - 1))) {
        b.append('_');
      }
      b.append(c);
    }
    return "OP_" + b.toString().toUpperCase(Locale.ROOT);
  }

  private static CodeBlock strings(List<String> values) {
    CodeBlock.Builder b = CodeBlock.builder().add("$T.of(", LIST);
    for (int i = 0; i < values.size(); i++) {
      b.add(i == 0 ? "$S" : ", $S", values.get(i));
    }
    return b.add(")").build();
  }

  private static CodeBlock descriptor(OpModel op) {
    CodeBlock.Builder attrs = CodeBlock.builder().add("$T.of(", LIST);
    for (int i = 0; i < op.attrs().size(); i++) {
      OpModel.AttrModel a = op.attrs().get(i);
      attrs.add(i == 0 ? "" : ", ").add("new $T($S, $T.$L, $S)", ATTR_SPEC, a.name(), ATTR_TYPE, a.type(), a.defaultValue());
    }
    attrs.add(")");
    CodeBlock.Builder hooks = CodeBlock.builder().add("$T.of(", SET);
    int i = 0;
    for (String h : OpValidator.HOOKS.values()) {
      if (op.hooks().contains(h)) {
        hooks.add(i++ == 0 ? "$T.$L" : ", $T.$L", HOOK, h);
      }
    }
    hooks.add(")");
    return CodeBlock.builder()
        .add("new $T($S, $L, $S, $L,\n", DESCRIPTOR, op.key(), strings(op.names()), op.whenAttr(), strings(op.whenValues()))
        .indent().indent()
        .add("$L,\n", attrs.build())
        .add("$L, $L, $L,\n", op.restorable(), strings(op.emits()), op.inputPrecision())
        .add("$L, $S)", hooks.build(), op.className())
        .unindent().unindent()
        .build();
  }
}
