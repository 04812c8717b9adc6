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
 * The ImageNet-shaped graphs users bring (ResNet-50 v1 and MobileNetV2 1.0 at 224x224, random int8
 * weights, see {@link CvmModels}) at batch 1 and 16 with the packed Vector API kernels on one and two
 * threads. images/s = batch / time; planned memory is printed at setup. Run:
 * {@code java -jar benchmarks/target/benchmarks.jar CvmImageNetBenchmark -f 1 -wi 2 -i 3}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g", "--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 5)
public class CvmImageNetBenchmark {
  /** resnet50 or mobilenetv2. */
  @Param({"resnet50", "mobilenetv2"})
  public String model;

  /** Images per run. */
  @Param({"1", "16"})
  public int batch;

  /** packed-1 or packed-2 (Vector API kernels, threads). */
  @Param({"packed-1", "packed-2"})
  public String mode;

  private CvmExecutor executor;
  private int[] input;

  /** Builds the graph, one random int8 batch. */
  @Setup
  public void setup() {
    CvmModel m = model.equals("resnet50") ? CvmModels.resnet50(batch) : CvmModels.mobilenetV2Imagenet(batch);
    executor = CvmExecutor.load(m, model, CvmKernelBenchmark.options(mode));
    input = new Random(42).ints(batch * 3 * 224 * 224, -127, 128).toArray();
    System.out.printf("%n%s batch %d: %.1f M MACs per image, buffers %.1f MiB, kernel scratch %.1f MiB, params %.1f MiB%n",
        model, batch, executor.macs() / 1e6 / batch, executor.bufferBytes() / 1048576.0,
        executor.scratchBytes() / 1048576.0, executor.paramBytes() / 1048576.0);
  }

  /** One forward pass of the batch. */
  @Benchmark
  public CvmResult run() {
    return executor.run(input);
  }
}
