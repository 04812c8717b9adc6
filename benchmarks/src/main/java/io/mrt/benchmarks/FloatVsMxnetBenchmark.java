package io.mrt.benchmarks;

import ai.djl.Device;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.translate.NoopTranslator;
import io.mrt.api.graph.Model;
import io.mrt.runtime.exec.fp.FloatExecutor;
import io.mrt.runtime.io.mxnet.ModelFiles;
import io.mrt.runtime.io.mxnet.MxnetModels;
import io.mrt.runtime.registry.OpTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Real MXNet 1.9 (DJL's MXNet engine, MKL build) against the project's float executor (ND4J) on
 * the same model files, the same batch and the same input values, in one JVM: the ratio of the two
 * scores is the float executor's cost relative to MXNet. Models: {@code cifar_resnet20_v1} from
 * {@code ../shared/models} and a MobileNetV2 of width 0.5 for CIFAR with seeded random weights,
 * written in the setup through the project's MXNet writer. Both engines read {@code OMP_NUM_THREADS}
 * (default: one thread per core), so they run with the same thread count. Needs the ND4J native
 * backend of the launcher's class path:
 * <pre>
 * ./mrt --version   # builds
 * java -Dmrt.shared.dir=../shared -cp "benchmarks/target/classes:$(cat mrt-runtime/target/classpath.txt):mrt-runtime/target/mrt-runtime-0.1.0-SNAPSHOT.jar:benchmarks/target/benchmarks.jar" \
 *     org.openjdk.jmh.Main FloatVsMxnetBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g", "-Dai.djl.offline=true", "-Dorg.bytedeco.javacpp.maxPhysicalBytes=0"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class FloatVsMxnetBenchmark {
  /** {@code resnet20}: cifar_resnet20_v1 of ../shared/models; {@code mobilenetv2_0.5}: generated. */
  @Param({"resnet20", "mobilenetv2_0.5"})
  public String model;

  /** Images per run. */
  @Param({"1", "64"})
  public int batch;

  private FloatExecutor fp;
  private INDArray x;
  private float[] input;
  private ai.djl.Model mx;
  private Predictor<NDList, NDList> predictor;
  private NDManager manager;
  private Path work;
  /** Calls, process CPU time and minor page faults at the start of the iteration. */
  private long calls;
  private long cpuStart;
  private long faultsStart;

  /** Loads (or writes) the model, the float executor, MXNet's predictor and one random batch. */
  @Setup(Level.Trial)
  public void setup() throws Exception {
    work = Files.createTempDirectory("mrt-bench-mxnet");
    ModelFiles files = switch (model) {
      case "resnet20" -> ModelFiles.locate(Path.of(System.getProperty("mrt.shared.dir", "../shared"))
          .resolve("models/cifar-resnet20-v1"));
      case "mobilenetv2_0.5" -> MobileNetV2Cifar.write(work);
      default -> throw new IllegalArgumentException("unknown model " + model);
    };
    Model m = MxnetModels.loadRunnable(files);
    fp = new FloatExecutor(m, OpTable.load());
    Random r = new Random(42);
    input = new float[batch * 3 * 32 * 32];
    for (int i = 0; i < input.length; i++) {
      input[i] = (float) r.nextGaussian();
    }
    x = Nd4j.create(input, new long[] {batch, 3, 32, 32}, DataType.FLOAT);

    Path dir = Files.createDirectory(work.resolve("djl"));
    Files.copy(files.symbol(), dir.resolve("m-symbol.json"), StandardCopyOption.REPLACE_EXISTING);
    Files.copy(files.params(), dir.resolve("m-0000.params"), StandardCopyOption.REPLACE_EXISTING);
    mx = ai.djl.Model.newInstance("m", Device.cpu(), "MXNet");
    mx.load(dir, "m");
    predictor = mx.newPredictor(new NoopTranslator());
    manager = NDManager.newBaseManager(Device.cpu(), "MXNet");

    // the two engines compute the same function: fail the trial rather than time different work
    float[] a = floatExecutor();
    float[] b = mxnet();
    double max = 0;
    double diff = 0;
    for (int i = 0; i < b.length; i++) {
      max = Math.max(max, Math.abs(b[i]));
      diff = Math.max(diff, Math.abs(a[i] - b[i]));
    }
    if (a.length != b.length || diff > 1e-4 * max) {
      throw new IllegalStateException(model + ": the float executor and MXNet disagree: max |difference| " + diff
          + " for outputs up to " + max);
    }
  }

  /** Starts counting this iteration's calls, process CPU time and page faults. */
  @Setup(Level.Iteration)
  public void startCounting() {
    calls = 0;
    cpuStart = processCpuNanos();
    faultsStart = minorFaults();
  }

  /**
   * Prints the iteration's process CPU time and minor page faults per call (all threads: the
   * engines' workers, the JIT and the GC), less sensitive to other jobs on the machine than the
   * wall-clock score; the faults show fresh memory being mapped.
   */
  @TearDown(Level.Iteration)
  public void printCounts() {
    long n = Math.max(1, calls);
    long faults = minorFaults();
    System.out.printf("  [process CPU %.1f ms/call, %s minor page faults/call, %d calls]",
        (processCpuNanos() - cpuStart) / 1e6 / n, faults < 0 || faultsStart < 0 ? "?" : (faults - faultsStart) / n, calls);
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
        .getOperatingSystemMXBean()).getProcessCpuTime();
  }

  /** Minor page faults of the process so far (field 10 of /proc/self/stat), or -1 without /proc. */
  private static long minorFaults() {
    try {
      String s = Files.readString(Path.of("/proc/self/stat"));
      return Long.parseLong(s.substring(s.lastIndexOf(')') + 2).split(" ")[7]);
    } catch (java.io.IOException | RuntimeException e) {
      return -1;
    }
  }

  /** The float executor on ND4J; the output copied to the heap as MXNet's is. */
  @Benchmark
  public float[] floatExecutor() {
    calls++;
    List<INDArray> out = fp.run(x);
    return out.get(0).data().asFloat();
  }

  /** Real MXNet through DJL: the batch copied in, the forward, the output copied out. */
  @Benchmark
  public float[] mxnet() throws Exception {
    calls++;
    try (NDManager m = manager.newSubManager()) {
      NDList out = predictor.predict(new NDList(m.create(input, new ai.djl.ndarray.types.Shape(batch, 3, 32, 32))));
      float[] y = out.get(0).toFloatArray();
      out.close();
      return y;
    }
  }

  /** Frees MXNet's and ND4J's memory and the temporary files. */
  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    manager.close();
    predictor.close();
    mx.close();
    x.close();
    try (var files = Files.walk(work)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
