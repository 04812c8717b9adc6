package io.mrt.plugins.it;

import io.mrt.annotations.MrtOp;
import io.mrt.api.registry.OpRegistry;
import io.mrt.processor.MrtOpProcessor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Builds a plugin jar in a test the way mrt-plugin-parent builds one: javac against mrt-api and
 * mrt-annotations with mrt-processor on the processor path, then a jar with the PF4J manifest.
 */
final class FixturePlugins {
  private FixturePlugins() {}

  /**
   * Compiles {@code sources} (qualified class name to source text) and writes {@code jarName} into
   * {@code dir} with Plugin-Id {@code id} and Plugin-Requires {@code ^0.1.0}.
   */
  static Path build(Path work, Path dir, String jarName, String id, String registryClass, Map<String, String> sources) {
    try {
      Path src = Files.createDirectories(work.resolve(id + "-src"));
      Path classes = Files.createDirectories(work.resolve(id + "-classes"));
      List<String> files = new ArrayList<>();
      for (Map.Entry<String, String> s : sources.entrySet()) {
        Path f = src.resolve(s.getKey().replace('.', '/') + ".java");
        Files.createDirectories(f.getParent());
        Files.writeString(f, s.getValue());
        files.add(f.toString());
      }
      String classPath = paths(MrtOp.class, OpRegistry.class, INDArray.class,
          org.nd4j.common.base.Preconditions.class);
      String processorPath = paths(MrtOpProcessor.class, MrtOp.class, com.palantir.javapoet.JavaFile.class);
      List<String> args = new ArrayList<>(List.of("--release", "17", "-classpath", classPath,
          "-processorpath", processorPath, "-Amrt.registry.class=" + registryClass, "-Amrt.registry.name=" + id,
          "-d", classes.toString()));
      args.addAll(files);
      JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
      ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
      int rc = javac.run(null, diagnostics, diagnostics, args.toArray(String[]::new));
      if (rc != 0) {
        throw new IllegalStateException("fixture plugin " + id + " does not compile:\n"
            + diagnostics.toString(StandardCharsets.UTF_8));
      }
      return jar(classes, dir.resolve(jarName), id);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path jar(Path classes, Path target, String id) throws IOException {
    Manifest mf = new Manifest();
    Attributes a = mf.getMainAttributes();
    a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
    a.put(new Attributes.Name("Plugin-Id"), id);
    a.put(new Attributes.Name("Plugin-Version"), "1.0.0");
    a.put(new Attributes.Name("Plugin-Requires"), "^0.1.0");
    try (OutputStream os = Files.newOutputStream(target); JarOutputStream out = new JarOutputStream(os, mf);
        Stream<Path> walk = Files.walk(classes)) {
      for (Path f : walk.filter(Files::isRegularFile).sorted().toList()) {
        out.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
        out.write(Files.readAllBytes(f));
        out.closeEntry();
      }
    }
    return target;
  }

  private static String paths(Class<?>... classes) {
    return Stream.of(classes).map(PluginJars::locationOf).map(Path::toString).distinct()
        .collect(Collectors.joining(java.io.File.pathSeparator));
  }
}
