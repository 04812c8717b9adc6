package io.mrt.benchmarks;

import io.mrt.api.graph.Model;
import io.mrt.runtime.config.ConfigLoader;
import io.mrt.runtime.config.MrtConfig;
import io.mrt.runtime.data.BatchIterator;
import io.mrt.runtime.exec.fp.FloatExecutor;
import io.mrt.runtime.io.mxnet.MxnetModels;
import io.mrt.runtime.registry.OpTable;
import io.mrt.runtime.stage.StageFiles;
import io.mrt.runtime.stage.prepare.PrepareStage;
import io.mrt.runtime.stage.run.StageData;
import io.mrt.runtime.stage.calibrate.CalibrationMethod;
import io.mrt.runtime.stage.calibrate.ObservedValues;
import io.mrt.runtime.stage.calibrate.CalibrateStage;
import io.mrt.runtime.stage.calibrate.Calibrator;
import io.mrt.runtime.stage.run.Pipeline;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.api.ndarray.INDArray;
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
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.Blackhole;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * The calibrate stage's cost against a plain float forward over the same batches: a config's
 * model (cifar-resnet20-v1 by default) is prepared in the setup and its calibration batches
 * (NUM_CALIB x CALIBRATE.BATCH real images) decoded once; {@code forward} runs the float executor
 * on them, {@code calibrate} runs the calibrator (forward plus every node's statistics) with each
 * method. The ratio calibrate / forward is the calibration overhead. Each trial also prints the
 * benchmark thread's CPU time per call over its measurement iterations ({@code thread CPU ...}),
 * which a loaded machine does not inflate as it does wall time (with {@code OMP_NUM_THREADS=1});
 * {@code paired} runs both in each call and prints the ratio of their CPU times (select it alone
 * with the pattern {@code CalibrateBenchmark.paired}).
 * <pre>
 * ./mrt --version   # builds
 * java -Dmrt.home=$PWD -cp "benchmarks/target/classes:$(cat mrt-runtime/target/classpath.txt):mrt-runtime/target/mrt-runtime-0.1.0-SNAPSHOT.jar:benchmarks/target/benchmarks.jar" \
 *     org.openjdk.jmh.Main CalibrateBenchmark -f 1 -wi 2 -i 3
 * </pre>
 * Another model: {@code -p config=examples/fashion-mobilenetv2.yaml} (the MobileNetV2-style network).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g", "--add-modules", "jdk.incubator.vector",
    "-Dorg.bytedeco.javacpp.maxPhysicalBytes=0"})
@Warmup(iterations = 2, time = 4)
@Measurement(iterations = 3, time = 4)
public class CalibrateBenchmark {
  /** The config whose model and calibration data are used, relative to mrt.home. */
  @Param({"examples/cifar-resnet20-v1.yaml"})
  public String config;

  /**
   * The calibration method (CALIBRATE.METHOD), or {@code none}: observers that drop the values, so
   * that the calibrator's cost is the observed forward's (what is left of a method's cost is its
   * statistics).
   */
  @Param({"abs_max", "lambda", "percentile", "kl"})
  public String method;

  private OpTable ops;
  private Model model;
  private FloatExecutor fp;
  private List<INDArray> batches;
  private CalibrationMethod calibration;

  /** Observers that drop every value. */
  private static final CalibrationMethod NONE = new CalibrationMethod() {
    @Override
    public String name() {
      return "none";
    }

    @Override
    public Observer observer() {
      return new Observer() {
        @Override
        public void observe(ObservedValues values) {
        }

        @Override
        public double threshold() {
          return 0;
        }
      };
    }
  };

  /** Prepares the model into a temporary folder and decodes the calibration batches. */
  @Setup
  public void setup() throws Exception {
    Path home = Path.of(System.getProperty("mrt.home", ".")).toAbsolutePath();
    Path out = Files.createTempDirectory("mrt-bench");
    MrtConfig c = ConfigLoader.load(home.resolve(config), List.of("--common.output_dir", out.toString()));
    ops = OpTable.load();
    Pipeline.run(PrepareStage.STAGE, c, ops, new PrintWriter(Writer.nullWriter()));
    model = MxnetModels.loadRunnable(CalibrateStage.input(StageFiles.of(c), false));
    fp = new FloatExecutor(model, ops);
    calibration = method.equals("none") ? NONE : io.mrt.runtime.stage.run.StageOptions.calibrate(c)
        .withMethod(method, method.equals("lambda") ? 16.0 : null).calibrationMethod();
    batches = new ArrayList<>();
    BatchIterator it = StageData.calibrationBatches(c);
    while (it.hasNext()) {
      batches.add(it.next().data());
    }
  }

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  /** CPU time of the benchmark thread in this iteration's calls, and their number. */
  private long cpuNanos;
  private long calls;
  private long measuredCpuNanos;
  private long measuredCalls;

  /** The float forward alone over every calibration batch. */
  @Benchmark
  public void forward(Blackhole bh) {
    long start = THREADS.getCurrentThreadCpuTime();
    for (INDArray x : batches) {
      bh.consume(fp.run(x));
    }
    cpuNanos += THREADS.getCurrentThreadCpuTime() - start;
    calls++;
  }

  /** Calibration (forward and statistics of every node output) over the same batches. */
  @Benchmark
  public Map<String, Double> calibrate() {
    long start = THREADS.getCurrentThreadCpuTime();
    Map<String, Double> th = new Calibrator(ops).run(model, batches.iterator(), batches.size(),
        calibration);
    cpuNanos += THREADS.getCurrentThreadCpuTime() - start;
    calls++;
    return th;
  }

  /** CPU time of the forward and of the calibration inside {@link #paired} calls. */
  private long pairedForwardNanos;
  private long pairedCalibrateNanos;
  private long measuredPairedForwardNanos;
  private long measuredPairedCalibrateNanos;
  /** Wall time and the CPU time of every thread of the process, in the same parts of {@link #paired}. */
  private final long[] pairedWall = new long[2];
  private final long[] pairedProcess = new long[2];
  private final long[] measuredWall = new long[2];
  private final long[] measuredProcess = new long[2];
  private static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  /**
   * The forward, then the calibration, over the same batches in one call: their CPU times are
   * taken seconds apart rather than minutes (JMH runs one benchmark method after another), so a
   * machine whose load drifts affects both alike; the trial prints their ratio, and those of their
   * wall times and of the CPU time of all the process's threads (the calibrator computes the
   * thresholds on every core).
   */
  @Benchmark
  public Map<String, Double> paired(Blackhole bh) {
    long wall0 = System.nanoTime();
    long process0 = OS.getProcessCpuTime();
    long start = THREADS.getCurrentThreadCpuTime();
    for (INDArray x : batches) {
      bh.consume(fp.run(x));
    }
    long mid = THREADS.getCurrentThreadCpuTime();
    long wall1 = System.nanoTime();
    long process1 = OS.getProcessCpuTime();
    Map<String, Double> th = new Calibrator(ops).run(model, batches.iterator(), batches.size(),
        calibration);
    long end = THREADS.getCurrentThreadCpuTime();
    pairedWall[0] += wall1 - wall0;
    pairedWall[1] += System.nanoTime() - wall1;
    pairedProcess[0] += process1 - process0;
    pairedProcess[1] += OS.getProcessCpuTime() - process1;
    pairedForwardNanos += mid - start;
    pairedCalibrateNanos += end - mid;
    calls++;
    return th;
  }

  /** Adds a measurement iteration's CPU time to the trial's. */
  @TearDown(Level.Iteration)
  public void countCpu(IterationParams iteration) {
    if (iteration.getType() == IterationType.MEASUREMENT) {
      measuredCpuNanos += cpuNanos;
      measuredCalls += calls;
      measuredPairedForwardNanos += pairedForwardNanos;
      measuredPairedCalibrateNanos += pairedCalibrateNanos;
      for (int k = 0; k < 2; k++) {
        measuredWall[k] += pairedWall[k];
        measuredProcess[k] += pairedProcess[k];
      }
    }
    java.util.Arrays.fill(pairedWall, 0);
    java.util.Arrays.fill(pairedProcess, 0);
    cpuNanos = 0;
    calls = 0;
    pairedForwardNanos = 0;
    pairedCalibrateNanos = 0;
  }

  /**
   * Prints the benchmark thread's CPU time per call over the measurement iterations: with
   * OMP_NUM_THREADS=1 the native kernels run on that thread, so this is the work of one call
   * whatever else the machine runs (the score is wall time, which waits for the core too).
   */
  @TearDown(Level.Trial)
  public void printCpu(BenchmarkParams params) {
    if (measuredPairedForwardNanos > 0) {
      System.out.printf("%nthread CPU paired (config=%s, method=%s): forward %.1f ms, calibrate %.1f ms, ratio %.2f"
          + " over %d calls%n", config, method, measuredPairedForwardNanos / 1e6 / measuredCalls,
          measuredPairedCalibrateNanos / 1e6 / measuredCalls,
          (double) measuredPairedCalibrateNanos / measuredPairedForwardNanos, measuredCalls);
      System.out.printf("wall paired (config=%s, method=%s): forward %.1f ms, calibrate %.1f ms, ratio %.2f;"
          + " process CPU: forward %.1f ms, calibrate %.1f ms, ratio %.2f%n", config, method,
          measuredWall[0] / 1e6 / measuredCalls, measuredWall[1] / 1e6 / measuredCalls,
          (double) measuredWall[1] / measuredWall[0], measuredProcess[0] / 1e6 / measuredCalls,
          measuredProcess[1] / 1e6 / measuredCalls, (double) measuredProcess[1] / measuredProcess[0]);
      return;
    }
    System.out.printf("%nthread CPU %s (config=%s, method=%s): %.1f ms/op over %d calls%n", params.getBenchmark()
        .substring(params.getBenchmark().lastIndexOf('.') + 1), config, method,
        measuredCpuNanos / 1e6 / Math.max(1, measuredCalls), measuredCalls);
  }
}
