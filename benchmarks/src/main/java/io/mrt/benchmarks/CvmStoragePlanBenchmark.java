package io.mrt.benchmarks;

import io.mrt.runtime.exec.cvm.CvmExecutor;
import io.mrt.runtime.exec.cvm.CvmResult;
import io.mrt.runtime.io.cvm.CvmModel;
import io.mrt.runtime.io.cvm.CvmModelReader;
import io.mrt.runtime.io.cvm.CvmStoragePlan;
import io.mrt.runtime.io.npy.NpyArray;
import io.mrt.runtime.io.npy.NpyReader;
import java.nio.file.Path;
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
 * The CVM executor on one model with its liveness storage plan and with one storage id per entry
 * (the same graph re-planned by {@link CvmStoragePlan#replan}), in the same run, so the ratio is
 * what the plan's smaller working set gives. {@code model} is a compiled model folder (its
 * {@code data.npy} is the input), or {@code synthetic} for {@link CvmExecutorBenchmark}'s network at
 * batch 16 on a random input. Run:
 * {@code java -jar benchmarks/target/benchmarks.jar CvmStoragePlanBenchmark -p model=DIR}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = "-Xmx1g")
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class CvmStoragePlanBenchmark {
  /** A compiled model folder, or {@code synthetic}. */
  @Param({"synthetic"})
  public String model;

  /** {@code LIVENESS} or {@code ONE_PER_ENTRY}. */
  @Param({"LIVENESS", "ONE_PER_ENTRY"})
  public String storage;

  /** Worker threads. */
  @Param({"1"})
  public int threads;

  private CvmExecutor executor;
  private int[] input;

  /** Loads the model, re-plans it, and reads (or draws) the input batch. */
  @Setup
  public void setup() {
    CvmModel m;
    if (model.equals("synthetic")) {
      m = CvmExecutorBenchmark.model(16);
      input = new Random(42).ints(16 * 3 * 32 * 32, -127, 128).toArray();
    } else {
      Path dir = Path.of(model);
      m = CvmModelReader.read(dir);
      NpyArray data = NpyReader.read(dir.resolve(CvmModelReader.DATA));
      input = data.toIntArray();
    }
    m = CvmStoragePlan.replan(m, CvmStoragePlan.Strategy.valueOf(storage));
    executor = CvmExecutor.load(m, model, CvmExecutor.Options.threads(threads));
  }

  /** One forward pass of the batch. */
  @Benchmark
  public CvmResult run() {
    return executor.run(input);
  }
}
