package io.mrt.plugins.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mrt.annotations.MrtOp;
import io.mrt.api.registry.OpRegistry;
import io.mrt.processor.MrtOpProcessor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The processor errors that docs/plugins.md shows are the ones javac prints: every example marked
 * {@code <!-- processor-error:Class,... -->} is compiled with mrt-processor, and its errors must
 * equal the text block that follows the example.
 */
class PluginGuideIT {
  private static final Pattern EXAMPLE = Pattern.compile(
      "<!-- processor-error:([A-Za-z0-9,]+) -->\\s*((?:```java\\n.*?```\\s*)+)```text\\n(.*?)```", Pattern.DOTALL);
  private static final Pattern JAVA_BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);

  @TempDir
  Path work;

  static Path guide() {
    return Path.of(System.getProperty("mrt.repo.dir", "../..")).resolve("docs/plugins.md");
  }

  @TestFactory
  List<DynamicTest> everyProcessorErrorInTheGuideIsWhatJavacPrints() throws IOException {
    String doc = Files.readString(guide());
    List<DynamicTest> tests = new ArrayList<>();
    Matcher m = EXAMPLE.matcher(doc);
    while (m.find()) {
      List<String> classes = List.of(m.group(1).split(","));
      List<String> sources = new ArrayList<>();
      Matcher j = JAVA_BLOCK.matcher(m.group(2));
      while (j.find()) {
        sources.add(j.group(1));
      }
      List<String> expected = m.group(3).lines().filter(l -> !l.isBlank()).toList();
      tests.add(DynamicTest.dynamicTest(String.join(",", classes), () -> {
        assertEquals(classes.size(), sources.size(), "one java block per class named in the marker");
        assertEquals(expected, compile(classes, sources));
      }));
    }
    assertTrue(tests.size() >= 4, "the guide shows at least four processor errors, found " + tests.size());
    return tests;
  }

  private List<String> compile(List<String> classes, List<String> sources) throws IOException {
    Path dir = Files.createTempDirectory(work, "src");
    List<Path> files = new ArrayList<>();
    for (int i = 0; i < classes.size(); i++) {
      Path f = dir.resolve(classes.get(i) + ".java");
      Files.writeString(f, sources.get(i), StandardCharsets.UTF_8);
      files.add(f);
    }
    Path out = Files.createDirectories(dir.resolve("out"));
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    try (StandardJavaFileManager fm = javac.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
      List<String> options = List.of("--release", "17",
          "-classpath", paths(MrtOp.class, OpRegistry.class, INDArray.class),
          "-processorpath", paths(MrtOpProcessor.class, MrtOp.class, com.palantir.javapoet.JavaFile.class),
          "-Amrt.registry.class=com.example.ops.ExampleOpRegistry", "-d", out.toString());
      javac.getTask(null, fm, diagnostics, options, null, fm.getJavaFileObjectsFromPaths(files)).call();
    }
    return diagnostics.getDiagnostics().stream().filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
        .map(d -> Path.of(d.getSource().getName()).getFileName() + ":" + d.getLineNumber() + ": error: "
            + d.getMessage(Locale.ROOT))
        .toList();
  }

  private static String paths(Class<?>... classes) {
    return Stream.of(classes).map(PluginJars::locationOf).map(Path::toString).distinct()
        .collect(Collectors.joining(java.io.File.pathSeparator));
  }
}
