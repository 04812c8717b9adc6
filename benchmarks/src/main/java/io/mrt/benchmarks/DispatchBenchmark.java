package io.mrt.benchmarks;

import io.mrt.api.graph.Attrs;
import io.mrt.api.graph.Node;
import io.mrt.api.graph.Shape;
import io.mrt.api.hook.InferShapeHook;
import io.mrt.api.hook.ShapeContext;
import io.mrt.api.registry.HookType;
import io.mrt.api.registry.OpDescriptor;
import io.mrt.api.registry.OpRegistry;
import java.lang.reflect.Method;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of calling an op's hook through the generated registry's dispatch table, against
 * finding and calling the same hook by reflection, as a registry without code generation would.
 *
 * <p>The registry is the built-in one ({@code ops-builtin}), found by {@link ServiceLoader} as the
 * runtime finds it; the op is chosen by the class name its descriptor reports, and the hook is
 * {@code inferShape} on a real node:
 *
 * <ul>
 *   <li>{@link #generatedTable}: {@code registry.hook(HookType.INFER_SHAPE, key).inferShape(ctx)}, what
 *       the runtime does for every node;
 *   <li>{@link #reflectiveLookupAndCall}: {@code Class.forName} + {@code getMethod} +
 *       {@code invoke} on every call (the op instance is created once);
 *   <li>{@link #reflectiveCachedMethodCall}: {@code Method.invoke} on a {@code Method} looked up
 *       once, the best a reflective registry can do;
 *   <li>{@link #directInterfaceCall}: the op instance called through its hook interface without the
 *       table lookup, the floor.
 * </ul>
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar DispatchBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class DispatchBenchmark {
  /** The op class, as its descriptor reports it; each case builds a node that the op accepts. */
  @Param({"io.mrt.ops.Relu", "io.mrt.ops.Convolution"})
  public String opClass;

  private OpRegistry registry;
  private String key;
  private String className;
  private ShapeContext ctx;
  private Object reflectiveInstance;
  private Method cachedMethod;
  private InferShapeHook direct;

  /** Finds the registry and the op, builds the node and checks that all paths give one answer. */
  @Setup
  public void setUp() throws ReflectiveOperationException {
    registry = ServiceLoader.load(OpRegistry.class).stream().map(ServiceLoader.Provider::get)
        .filter(r -> r.name().equals("ops-builtin")).findFirst()
        .orElseThrow(() -> new IllegalStateException("the ops-builtin registry is not on the class path"));
    OpDescriptor op = registry.ops().stream().filter(d -> d.className().equals(opClass)).findFirst()
        .orElseThrow(() -> new IllegalStateException("no op class " + opClass + " in " + registry.name()));
    key = op.key();
    className = op.className();
    ctx = switch (opClass) {
      case "io.mrt.ops.Relu" -> context(op, Node.op("Activation", "relu0", Attrs.of("act_type", "relu")),
          Shape.of(1, 16, 28, 28));
      case "io.mrt.ops.Convolution" -> context(op,
          Node.op("Convolution", "conv0", Attrs.of("kernel", "(3, 3)", "num_filter", "16", "pad", "(1, 1)")),
          Shape.of(1, 8, 28, 28), Shape.of(16, 8, 3, 3), Shape.of(16));
      default -> throw new IllegalArgumentException("no node for " + opClass);
    };
    reflectiveInstance = Class.forName(className).getConstructor().newInstance();
    cachedMethod = Class.forName(className).getMethod("inferShape", ShapeContext.class);
    direct = registry.hook(HookType.INFER_SHAPE, key);

    Object expected = generatedTable();
    for (Object other : List.of(reflectiveLookupAndCall(), reflectiveCachedMethodCall(), directInterfaceCall())) {
      if (!expected.equals(other)) {
        throw new IllegalStateException("dispatch paths disagree: " + expected + " vs " + other);
      }
    }
  }

  private static ShapeContext context(OpDescriptor op, Node node, Shape... inputs) {
    Attrs attrs = node.attrs().withDefaults(op.defaults());
    List<Shape> shapes = List.of(inputs);
    return new ShapeContext() {
      @Override
      public Node node() {
        return node;
      }

      @Override
      public Attrs attrs() {
        return attrs;
      }

      @Override
      public List<Shape> inputShapes() {
        return shapes;
      }
    };
  }

  /** The generated dispatch table: a map lookup and an interface call. */
  @Benchmark
  public List<Shape> generatedTable() {
    return registry.hook(HookType.INFER_SHAPE, key).inferShape(ctx);
  }

  /** Class.forName + getMethod + invoke on every call. */
  @Benchmark
  public Object reflectiveLookupAndCall() throws ReflectiveOperationException {
    Method m = Class.forName(className).getMethod("inferShape", ShapeContext.class);
    return m.invoke(reflectiveInstance, ctx);
  }

  /** Method.invoke on a Method looked up once. */
  @Benchmark
  public Object reflectiveCachedMethodCall() throws ReflectiveOperationException {
    return cachedMethod.invoke(reflectiveInstance, ctx);
  }

  /** The hook interface call alone, without the table lookup. */
  @Benchmark
  public List<Shape> directInterfaceCall() {
    return direct.inferShape(ctx);
  }
}
