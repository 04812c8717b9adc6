package io.mrt.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import io.mrt.api.graph.Shape;
import io.mrt.api.hook.InferShapeHook;
import io.mrt.api.registry.AttrSpec;
import io.mrt.api.registry.AttrType;
import io.mrt.api.registry.Hook;
import io.mrt.api.registry.HookType;
import io.mrt.api.registry.OpDescriptor;
import io.mrt.api.registry.OpRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.lang.reflect.Proxy;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.Filer;
import javax.annotation.processing.ProcessingEnvironment;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.TypeElement;
import javax.tools.JavaFileObject;
import javax.tools.StandardLocation;
import org.junit.jupiter.api.Test;

/**
 * The generated registry: its exact text (a golden file), identical bytes across builds and source
 * orders, no warnings, what it does when loaded, the option defaults, and the processor's round
 * handling (deferral, late ops, internal errors).
 */
class GeneratedRegistryTest {
  private static final String GOLDEN_CLASS = "fixture.golden.GoldenOpRegistry";

  private static Compilation golden(List<String> resources) {
    Compilation c = Fixtures.compile(Fixtures.GOLDEN_OPTIONS, Fixtures.sources(resources));
    assertThat(c).succeededWithoutWarnings();
    return c;
  }

  private static String resource(String name) {
    try (InputStream in = GeneratedRegistryTest.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource " + name);
      }
      return new String(in.readAllBytes(), UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] bytes(JavaFileObject file) {
    try (InputStream in = file.openInputStream()) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JavaFileObject serviceFile(Compilation c) {
    return c.generatedFile(StandardLocation.CLASS_OUTPUT, RegistryGenerator.SERVICE_FILE).orElseThrow();
  }

  private static byte[] registryClassBytes(Compilation c, String binaryName) {
    String path = "/CLASS_OUTPUT/" + binaryName.replace('.', '/') + ".class";
    return c.generatedFiles().stream().filter(f -> f.toUri().getPath().endsWith(path)).findFirst()
        .map(GeneratedRegistryTest::bytes).orElseThrow(() -> new AssertionError("no class file " + path));
  }

  @Test
  void generatedRegistryEqualsTheGoldenFile() throws IOException {
    Compilation c = golden(Fixtures.GOLDEN);
    // written for maintainers: after an intended change, copy it over the expected file
    byte[] actual = bytes(c.generatedSourceFile(GOLDEN_CLASS).orElseThrow());
    Path out = Path.of("target", "golden-actual", "GoldenOpRegistry.java");
    Files.createDirectories(out.getParent());
    Files.write(out, actual);
    assertThat(c).generatedSourceFile(GOLDEN_CLASS).contentsAsUtf8String()
        .isEqualTo(resource("golden/expected/GoldenOpRegistry.java"));
    assertThat(c).generatedFile(StandardLocation.CLASS_OUTPUT, RegistryGenerator.SERVICE_FILE)
        .contentsAsUtf8String().isEqualTo(GOLDEN_CLASS + "\n");
  }

  @Test
  void twoBuildsGiveIdenticalBytesWhateverTheSourceOrder() {
    List<String> reversed = new ArrayList<>(Fixtures.GOLDEN);
    Collections.reverse(reversed);
    List<String> rotated = new ArrayList<>(Fixtures.GOLDEN);
    Collections.rotate(rotated, 2);
    Compilation first = golden(Fixtures.GOLDEN);
    for (List<String> order : List.of(Fixtures.GOLDEN, reversed, rotated)) {
      Compilation again = golden(order);
      assertArrayEquals(bytes(first.generatedSourceFile(GOLDEN_CLASS).orElseThrow()),
          bytes(again.generatedSourceFile(GOLDEN_CLASS).orElseThrow()), "registry source, order " + order);
      assertArrayEquals(bytes(serviceFile(first)), bytes(serviceFile(again)), "service file, order " + order);
      assertArrayEquals(registryClassBytes(first, GOLDEN_CLASS), registryClassBytes(again, GOLDEN_CLASS),
          "registry class file, order " + order);
    }
  }

  @Test
  void validOpsCompileWithoutWarningsUnderFullLint() {
    Compilation c = Fixtures.compile(List.of("-Xlint:all"), Fixtures.sources(Fixtures.GOLDEN));
    assertThat(c).succeededWithoutWarnings();
  }

  @Test
  void loadedRegistryDispatchesToTheOpInstancesInKeyOrder() throws Exception {
    Compilation c = golden(Fixtures.GOLDEN);
    ClassLoader loader = new CompiledClassLoader(c);
    String serviceName = new String(bytes(serviceFile(c)), UTF_8).trim();
    OpRegistry registry = (OpRegistry) loader.loadClass(serviceName).getConstructor().newInstance();

    assertEquals("golden", registry.name());
    assertEquals(List.of("Activation[act_type=relu]", "Activation[act_type=softsign|tanh]", "Convolution",
        "FlatTen", "elemwise_add", "flat_ten"), registry.ops().stream().map(OpDescriptor::key).toList());
    assertEquals(List.of("Activation[act_type=relu]", "Activation[act_type=softsign|tanh]", "Convolution",
        "FlatTen", "flat_ten"), List.copyOf(registry.hooks(HookType.INFER_SHAPE).keySet()));
    assertEquals(List.of("Convolution"), List.copyOf(registry.hooks(HookType.FORWARD).keySet()));
    assertEquals(List.of("elemwise_add"), List.copyOf(registry.hooks(HookType.REWRITE).keySet()));
    assertEquals(List.of("elemwise_add"), List.copyOf(registry.hooks(HookType.FUSE_TRANSPOSE).keySet()));
    assertEquals(List.of("elemwise_add"), List.copyOf(registry.hooks(HookType.CALIBRATE).keySet()));
    assertEquals(List.of("elemwise_add"), List.copyOf(registry.hooks(HookType.QUANTIZE).keySet()));
    assertEquals(List.of("Convolution"), List.copyOf(registry.hooks(HookType.LOWER_TO_CVM).keySet()));

    OpDescriptor conv = registry.ops().get(2);
    assertEquals(new OpDescriptor("Convolution", List.of("Convolution"), "", List.of(),
        List.of(new AttrSpec("kernel", AttrType.INTS, null), new AttrSpec("num_filter", AttrType.INT, null),
            new AttrSpec("no_bias", AttrType.BOOL, "False"), new AttrSpec("workspace", AttrType.LONG, "1024"),
            new AttrSpec("scale", AttrType.FLOAT, "0.5"), new AttrSpec("eps", AttrType.DOUBLE, "1e-5"),
            new AttrSpec("layout", AttrType.STRING, "None"), new AttrSpec("shape", AttrType.LONGS, "(1, 2)"),
            new AttrSpec("scales", AttrType.FLOATS, "[0.5, 2]"),
            new AttrSpec("bounds", AttrType.DOUBLES, "(-inf, inf)")),
        true, List.of("conv2d", "cvm_right_shift"), 8,
        EnumSet.of(Hook.INFER_SHAPE, Hook.FORWARD, Hook.LOWER_TO_CVM), "fixture.golden.Conv"), conv);
    assertEquals(List.of(Hook.INFER_SHAPE, Hook.FORWARD, Hook.LOWER_TO_CVM), List.copyOf(conv.hooks()));

    OpDescriptor squash = registry.ops().get(1);
    assertEquals(List.of("tanh", "softsign"), squash.whenValues());
    OpDescriptor relu = registry.ops().get(0);
    assertEquals(List.of("Activation", "relu"), relu.names());
    assertEquals(false, relu.restorable());
    assertEquals("fixture.golden.Layers$FlatTen", registry.ops().get(5).className());

    // one instance per op, shared by every stage table of that op
    Object elemwise = registry.hooks(HookType.REWRITE).get("elemwise_add");
    assertEquals("fixture.golden.Elemwise", elemwise.getClass().getName());
    assertSame(elemwise, registry.hooks(HookType.QUANTIZE).get("elemwise_add"));
    assertSame(elemwise, registry.hooks(HookType.CALIBRATE).get("elemwise_add"));
    assertSame(registry.hooks(HookType.INFER_SHAPE).get("Convolution"), registry.hooks(HookType.FORWARD).get("Convolution"));

    // the generic lookup answers from the same tables: the op instance, or null without such a hook
    assertSame(elemwise, registry.hook(HookType.REWRITE, "elemwise_add"));
    assertSame(registry.hook(HookType.INFER_SHAPE, "Convolution"), registry.hook(HookType.LOWER_TO_CVM, "Convolution"));
    assertNull(registry.hook(HookType.FORWARD, "elemwise_add"));
    assertNull(registry.hook(HookType.INFER_PRECISION, "Convolution"));
    assertNull(registry.hook(HookType.FORWARD, "no_such_op"));
    // the per-kind accessor plugins' tests still call is the same table
    @SuppressWarnings("deprecation")
    Map<String, ?> quantizeTable = registry.quantizeHooks();
    assertEquals(registry.hooks(HookType.QUANTIZE), quantizeTable);

    // the table calls the op's own code
    InferShapeHook flatten = registry.hooks(HookType.INFER_SHAPE).get("flat_ten");
    assertEquals(List.of(Shape.of(24)), flatten.inferShape(new TestShapeContext(Shape.of(2, 3, 4))));
  }

  @Test
  void withoutOptionsTheRegistryIsGeneratedOpRegistryInThePackageOfTheFirstOpClass() {
    Compilation c = Fixtures.compile(List.of(), Fixtures.sources(List.of("golden/Relu.java", "deferred/DeferredOp.java")),
        new GeneratingProcessor());
    assertThat(c).succeeded();
    assertThat(c).generatedSourceFile("fixture.deferred.GeneratedOpRegistry").contentsAsUtf8String()
        .contains("public static final String NAME = \"GeneratedOpRegistry\";");
    assertThat(c).generatedFile(StandardLocation.CLASS_OUTPUT, RegistryGenerator.SERVICE_FILE)
        .contentsAsUtf8String().isEqualTo("fixture.deferred.GeneratedOpRegistry\n");
  }

  @Test
  void classWhoseHookInterfaceIsGeneratedLaterIsDeferredAndThenRegistered() {
    Compilation c = Fixtures.compile(Fixtures.GOLDEN_OPTIONS, Fixtures.sources(List.of("deferred/DeferredOp.java")),
        new GeneratingProcessor());
    assertThat(c).succeededWithoutWarnings();
    assertThat(c).generatedSourceFile(GOLDEN_CLASS).contentsAsUtf8String()
        .contains("inferShape.put(\"Deferred\", OP_DEFERRED);");
  }

  @Test
  void classWhoseTypesNeverResolveIsReportedAfterTheLastRound() {
    JavaFileObject file = Fixtures.source("deferred/DeferredOp.java");
    Compilation c = Fixtures.compile(List.of(), List.of(file));
    assertThat(c).failed();
    assertThat(c).hadErrorContaining(Messages.UNRESOLVED + "fixture.deferred.DeferredOp")
        .inFile(file).onLineContaining("@MrtOp(\"Deferred\")");
    assertThat(c).hadErrorContaining("cannot find symbol").inFile(file).onLineContaining("implements GeneratedShapeHook");
  }

  @Test
  void opClassGeneratedAfterTheRegistryIsAnError() {
    Compilation c = Fixtures.compile(Fixtures.GOLDEN_OPTIONS, Fixtures.sources(List.of("golden/Relu.java")),
        new LateOpProcessor());
    assertThat(c).failed();
    assertThat(c).hadErrorContaining(Messages.LATE_OP + "fixture.late.LateOp");
    assertThat(c).hadErrorCount(1);
  }

  @Test
  void exceptionInsideTheProcessorBecomesOneErrorInsteadOfCrashingJavac() {
    Filer failing = (Filer) Proxy.newProxyInstance(Filer.class.getClassLoader(), new Class<?>[] {Filer.class},
        (proxy, method, args) -> {
          throw new IllegalStateException("disk on fire");
        });
    Compilation c = Fixtures.compileOnly(Fixtures.GOLDEN_OPTIONS, Fixtures.sources(List.of("golden/Relu.java")),
        List.of(new FilerSwappingProcessor(real -> failing)));
    assertThat(c).failed();
    assertThat(c).hadErrorContaining(Messages.INTERNAL_ERROR + "java.lang.IllegalStateException: disk on fire");
    assertThat(c).hadErrorCount(1);
  }

  @Test
  void compilationWithAnErrorGeneratesNothing() {
    List<String> created = new ArrayList<>();
    FilerSwappingProcessor recording = new FilerSwappingProcessor(real -> (Filer) Proxy.newProxyInstance(
        Filer.class.getClassLoader(), new Class<?>[] {Filer.class}, (proxy, method, args) -> {
          created.add(method.getName() + " " + args[0]);
          return method.invoke(real, args);
        }));
    List<String> files = new ArrayList<>(Fixtures.GOLDEN);
    files.add("errors/BadInputPrecision.java");
    Compilation c = Fixtures.compileOnly(Fixtures.GOLDEN_OPTIONS, Fixtures.sources(files), List.of(recording));
    assertThat(c).hadErrorContaining(Messages.BAD_PRECISION);
    assertThat(c).hadErrorCount(1);
    assertEquals(List.of(), created);

    created.clear();
    Compilation ok = Fixtures.compileOnly(Fixtures.GOLDEN_OPTIONS, Fixtures.sources(Fixtures.GOLDEN),
        List.of(new FilerSwappingProcessor(recording.swap)));
    assertThat(ok).succeeded();
    assertEquals(List.of("createSourceFile " + GOLDEN_CLASS, "createResource CLASS_OUTPUT"), created);
  }

  @Test
  void processorClaimsOnlyMrtOpAndSupportsItsTwoOptions() {
    MrtOpProcessor p = new MrtOpProcessor();
    assertEquals(Set.of("io.mrt.annotations.MrtOp"), p.getSupportedAnnotationTypes());
    assertEquals(Set.of("mrt.registry.class", "mrt.registry.name"), p.getSupportedOptions());
    assertEquals(SourceVersion.latestSupported(), p.getSupportedSourceVersion());
  }

  /** Defines the classes of a compilation's output; everything else comes from the test class path. */
  private static final class CompiledClassLoader extends ClassLoader {
    private final Map<String, byte[]> classes = new HashMap<>();

    CompiledClassLoader(Compilation c) {
      super(GeneratedRegistryTest.class.getClassLoader());
      for (JavaFileObject f : c.generatedFiles()) {
        String path = f.toUri().getPath();
        if (f.getKind() == JavaFileObject.Kind.CLASS && path.startsWith("/CLASS_OUTPUT/")) {
          String name = path.substring("/CLASS_OUTPUT/".length(), path.length() - ".class".length()).replace('/', '.');
          classes.put(name, bytes(f));
        }
      }
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
      byte[] b = classes.get(name);
      if (b == null) {
        throw new ClassNotFoundException(name);
      }
      return defineClass(name, b, 0, b.length);
    }
  }

  /** Generates, in the first round, the hook interface that {@code DeferredOp} implements. */
  static final class GeneratingProcessor extends AbstractProcessor {
    private boolean done;

    @Override
    public Set<String> getSupportedAnnotationTypes() {
      return Set.of("io.mrt.annotations.MrtOp");
    }

    @Override
    public SourceVersion getSupportedSourceVersion() {
      return SourceVersion.latestSupported();
    }

    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment roundEnv) {
      if (!done) {
        done = true;
        write("fixture.deferred.GeneratedShapeHook", "package fixture.deferred;\n\n"
            + "/** Generated by the test. */\n"
            + "public interface GeneratedShapeHook extends io.mrt.api.hook.InferShapeHook {}\n");
      }
      return false;
    }

    void write(String name, String source) {
      try (Writer w = processingEnv.getFiler().createSourceFile(name).openWriter()) {
        w.write(source);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** Generates an {@code @MrtOp} class in the first round, after the registry has been written. */
  static final class LateOpProcessor extends AbstractProcessor {
    private boolean done;

    @Override
    public Set<String> getSupportedAnnotationTypes() {
      return Set.of("io.mrt.annotations.MrtOp");
    }

    @Override
    public SourceVersion getSupportedSourceVersion() {
      return SourceVersion.latestSupported();
    }

    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment roundEnv) {
      if (!done) {
        done = true;
        try (Writer w = processingEnv.getFiler().createSourceFile("fixture.late.LateOp").openWriter()) {
          w.write("package fixture.late;\n\n"
              + "/** Generated by the test. */\n"
              + "@io.mrt.annotations.MrtOp(\"Late\")\n"
              + "public final class LateOp implements io.mrt.api.hook.InferShapeHook {\n"
              + "  @Override\n"
              + "  public java.util.List<io.mrt.api.graph.Shape> inferShape(io.mrt.api.hook.ShapeContext ctx) {\n"
              + "    return java.util.List.of();\n"
              + "  }\n"
              + "}\n");
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      return false;
    }
  }

  /** Runs the real processor with a {@link Filer} wrapped or replaced by the test. */
  static final class FilerSwappingProcessor extends AbstractProcessor {
    private final MrtOpProcessor delegate = new MrtOpProcessor();
    final UnaryOperator<Filer> swap;

    FilerSwappingProcessor(UnaryOperator<Filer> swap) {
      this.swap = swap;
    }

    @Override
    public synchronized void init(ProcessingEnvironment env) {
      super.init(env);
      Filer filer = swap.apply(env.getFiler());
      delegate.init((ProcessingEnvironment) Proxy.newProxyInstance(ProcessingEnvironment.class.getClassLoader(),
          new Class<?>[] {ProcessingEnvironment.class},
          (proxy, method, args) -> method.getName().equals("getFiler") ? filer : method.invoke(env, args)));
    }

    @Override
    public Set<String> getSupportedAnnotationTypes() {
      return delegate.getSupportedAnnotationTypes();
    }

    @Override
    public Set<String> getSupportedOptions() {
      return delegate.getSupportedOptions();
    }

    @Override
    public SourceVersion getSupportedSourceVersion() {
      return delegate.getSupportedSourceVersion();
    }

    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment roundEnv) {
      return delegate.process(annotations, roundEnv);
    }
  }
}
