package io.mrt.processor;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.annotation.processing.Processor;
import javax.tools.JavaFileObject;

/** Compiles fixture sources from src/test/resources with a fresh {@link MrtOpProcessor}. */
final class Fixtures {
  /** The golden op set, in the order the golden test compiles it. */
  static final List<String> GOLDEN = List.of(
      "golden/Conv.java", "golden/Relu.java", "golden/Squash.java", "golden/Elemwise.java", "golden/Layers.java");

  /** The options the golden test compiles with. */
  static final List<String> GOLDEN_OPTIONS = List.of(
      "-Amrt.registry.class=fixture.golden.GoldenOpRegistry", "-Amrt.registry.name=golden");

  /** The project's lint options (root pom), so that the tests see what the build sees. */
  static final List<String> LINT = List.of("-Xlint:all,-processing,-serial,-options");

  private Fixtures() {}

  static JavaFileObject source(String resource) {
    return JavaFileObjects.forResource(resource);
  }

  static List<JavaFileObject> sources(List<String> resources) {
    return resources.stream().map(Fixtures::source).toList();
  }

  static Compilation compile(String... resources) {
    return compile(List.of(), sources(Arrays.asList(resources)));
  }

  /** Compiles with {@code more} processors (first) and a fresh {@link MrtOpProcessor}. */
  static Compilation compile(List<String> options, List<JavaFileObject> files, Processor... more) {
    List<Processor> processors = new ArrayList<>(Arrays.asList(more));
    processors.add(new MrtOpProcessor());
    return compileOnly(options, files, processors);
  }

  /** Compiles with exactly the given processors. */
  static Compilation compileOnly(List<String> options, List<JavaFileObject> files, List<Processor> processors) {
    List<String> all = new ArrayList<>(LINT);
    all.addAll(options);
    return Compiler.javac().withProcessors(processors).withOptions(all).compile(files);
  }
}
