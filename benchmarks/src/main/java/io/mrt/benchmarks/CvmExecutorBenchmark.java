package io.mrt.benchmarks;

import io.mrt.runtime.exec.cvm.CvmExecutor;
import io.mrt.runtime.exec.cvm.CvmResult;
import io.mrt.runtime.io.cvm.CvmGraphBuilder;
import io.mrt.runtime.io.cvm.CvmModel;
import java.util.Map;
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
 * Throughput of the CVM integer executor on a conv2d/dense-heavy model (a CIFAR-sized network:
 * three 3x3 conv2d layers with right shifts, relu and max pooling, then dense), batch 1 and 16,
 * with the naive single-threaded conv2d loop, the blocked kernel on one thread and the blocked
 * kernel on all processors, in the same run, so the ratios are the speedups of the kernel and of
 * the threads. Run:
 * {@code java -jar benchmarks/target/benchmarks.jar CvmExecutorBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = "-Xmx1g")
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class CvmExecutorBenchmark {
  /** Images per run. */
  @Param({"1", "16"})
  public int batch;

  /**
   * {@code naive}: the plain conv2d loop on one thread; {@code blocked-1}: the blocked conv2d kernel
   * on one thread; {@code blocked-all}: the blocked kernel on all processors.
   */
  @Param({"naive", "blocked-1", "blocked-all"})
  public String mode;

  private CvmExecutor executor;
  private int[] input;

  /** Builds the model and one random int8 input batch. */
  @Setup
  public void setup() {
    CvmExecutor.ConvKernel k = mode.equals("naive") ? CvmExecutor.ConvKernel.NAIVE : CvmExecutor.ConvKernel.BLOCKED;
    int threads = mode.equals("blocked-all") ? Runtime.getRuntime().availableProcessors() : 1;
    executor = CvmExecutor.load(model(batch), "benchmark", new CvmExecutor.Options(threads, k));
    input = new Random(42).ints(batch * 3 * 32 * 32, -127, 128).toArray();
  }

  /** One forward pass of the batch. */
  @Benchmark
  public CvmResult run() {
    return executor.run(input);
  }

  /**
   * data[N,3,32,32] -> conv 32 -> conv 32 -> pool -> conv 64 -> pool -> dense 10: about 15 M
   * multiply-adds per image, int8 weights.
   */
  static CvmModel model(int n) {
    Random r = new Random(1);
    CvmGraphBuilder b = new CvmGraphBuilder();
    int x = b.input("data", new long[] {n, 3, 32, 32}, 8);
    x = convBlock(b, r, x, n, 3, 32, 32, 0);
    x = convBlock(b, r, x, n, 32, 32, 32, 1);
    x = b.op("max_pool2d", Map.of("pool_size", "(2, 2)", "strides", "(2, 2)"), new long[] {n, 32, 16, 16}, x);
    x = convBlock(b, r, x, n, 32, 64, 16, 2);
    x = b.op("max_pool2d", Map.of("pool_size", "(2, 2)", "strides", "(2, 2)"), new long[] {n, 64, 8, 8}, x);
    x = b.op("flatten", Map.of(), new long[] {n, 64 * 8 * 8}, x);
    int w = b.param("fc_weight", new long[] {10, 4096}, 8, r.ints(10 * 4096, -127, 128).toArray());
    int bias = b.param("fc_bias", new long[] {10}, 16, r.ints(10, -30000, 30000).toArray());
    int d = b.op("dense", Map.of("units", "10", "use_bias", "True"), new long[] {n, 10}, x, w, bias);
    return b.head(d).build();
  }

  private static int convBlock(CvmGraphBuilder b, Random r, int x, int n, int c, int o, int hw, int i) {
    int w = b.param("conv" + i + "_weight", new long[] {o, c, 3, 3}, 8, r.ints(o * c * 9, -127, 128).toArray());
    int bias = b.param("conv" + i + "_bias", new long[] {o}, 16, r.ints(o, -30000, 30000).toArray());
    long[] s = {n, o, hw, hw};
    int y = b.op("conv2d", Map.of("channels", "" + o, "kernel_size", "(3, 3)", "padding", "(1, 1)"), s, x, w, bias);
    y = b.op("cvm_right_shift", Map.of("precision", "8", "shift_bit", "12"), s, y);
    return b.op("relu", Map.of(), s, y);
  }
}
