package io.mrt.benchmarks;

import io.mrt.runtime.exec.cvm.CvmExecutor;
import io.mrt.runtime.exec.cvm.CvmResult;
import io.mrt.runtime.io.cvm.CvmModel;
import java.util.Random;
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
 * One batch of 16 through the CVM executor on the compiled cifar_resnet20_v1 (40.8 M MACs per
 * image) and on a depthwise-heavy MobileNetV2 (width 0.5) for CIFAR, with the naive kernel on one
 * thread (the baseline), the packed kernels with plain Java loops on one thread, and the packed
 * Vector API kernels on one and two threads, in the same run. Effective GMAC/s = MACs per batch /
 * time (MACs printed at setup). Run (after {@code ./mrt run examples/cifar-resnet20-v1.yaml}):
 * {@code java -jar benchmarks/target/benchmarks.jar CvmKernelBenchmark -f 1 -wi 3 -i 5}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g", "--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class CvmKernelBenchmark {
  /** {@code resnet20}: the compiled example; {@code mobilenetv2-cifar}: depthwise-heavy. */
  @Param({"resnet20", "mobilenetv2-cifar"})
  public String model;

  /** Images per run. */
  @Param({"16"})
  public int batch;

  /** Kernel and threads: naive-1 (baseline), packed-scalar-1, packed-1, packed-2. */
  @Param({"naive-1", "packed-scalar-1", "packed-1", "packed-2"})
  public String mode;

  private CvmExecutor executor;
  private int[] input;

  /** Loads the model, one random int8 batch. */
  @Setup
  public void setup() {
    CvmModel m = model.equals("resnet20") ? CvmModels.resnet20(batch) : CvmModels.mobilenetV2Cifar(batch);
    executor = CvmExecutor.load(m, model, options(mode));
    input = new Random(42).ints((int) (executor.inputShape()[0] * executor.inputShape()[1]
        * executor.inputShape()[2] * executor.inputShape()[3]), -127, 128).toArray();
    System.out.printf("%n%s batch %d: %.1f M MACs per batch, %d steps, vector kernels %s%n", model, batch,
        executor.macs() / 1e6, executor.stepCount(), executor.vectorKernels());
  }

  static CvmExecutor.Options options(String mode) {
    int dash = mode.lastIndexOf('-');
    int threads = Integer.parseInt(mode.substring(dash + 1));
    CvmExecutor.ConvKernel k = switch (mode.substring(0, dash)) {
      case "naive" -> CvmExecutor.ConvKernel.NAIVE;
      case "blocked" -> CvmExecutor.ConvKernel.BLOCKED;
      case "packed-scalar" -> CvmExecutor.ConvKernel.PACKED_SCALAR;
      default -> CvmExecutor.ConvKernel.PACKED;
    };
    return new CvmExecutor.Options(threads, k);
  }

  /** One forward pass of the batch. */
  @Benchmark
  public CvmResult run() {
    return executor.run(input);
  }
}
