package io.mrt.benchmarks;

import io.mrt.api.graph.Model;
import io.mrt.runtime.config.ConfigLoader;
import io.mrt.runtime.config.MrtConfig;
import io.mrt.runtime.exec.cvm.CvmExecutor;
import io.mrt.runtime.exec.fp.FloatExecutor;
import io.mrt.runtime.io.mxnet.ModelFiles;
import io.mrt.runtime.io.mxnet.MxnetModels;
import io.mrt.runtime.registry.OpTable;
import io.mrt.runtime.stage.compile.CvmCompiler;
import io.mrt.runtime.stage.StageFiles;
import io.mrt.runtime.stage.QuantizedModel;
import io.mrt.runtime.stage.run.Pipeline;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
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
 * The CVM executor against the float executor on the same model and batch: the embedded default
 * (demo/mnist-dapp), prepared, calibrated and quantized in the setup, then the float model run by
 * the float executor (ND4J) and the compiled integer model run by the CVM executor, batch 1 and 16.
 * Needs the ND4J native backend on the class path, so it runs from the launcher's class path
 * rather than the shaded jar:
 * <pre>
 * ./mrt --version   # builds
 * java -Dmrt.home=$PWD -cp "benchmarks/target/classes:$(cat mrt-runtime/target/classpath.txt):mrt-runtime/target/mrt-runtime-0.1.0-SNAPSHOT.jar:benchmarks/target/benchmarks.jar" \
 *     org.openjdk.jmh.Main FloatVsCvmBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g", "-Dorg.bytedeco.javacpp.maxPhysicalBytes=0"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class FloatVsCvmBenchmark {
  /** Images per run. */
  @Param({"1", "16"})
  public int batch;

  private FloatExecutor fp;
  private CvmExecutor cvm;
  private INDArray x;
  private int[] q;

  /** Quantizes the demo model into a temporary folder and compiles it for the batch. */
  @Setup
  public void setup() throws Exception {
    Path home = Path.of(System.getProperty("mrt.home", ".")).toAbsolutePath();
    Path out = Files.createTempDirectory("mrt-bench");
    MrtConfig c = ConfigLoader.load(home.resolve("demo/mnist-dapp.yaml"), List.of("--common.output_dir", out.toString(),
        "--common.run_evaluate", "false", "--common.run_compile", "false"));
    OpTable ops = OpTable.load();
    Pipeline.run(c, ops, new PrintWriter(new StringWriter()));
    StageFiles files = StageFiles.of(c);
    Model fixed = MxnetModels.loadRunnable(new ModelFiles(files.fixedSymbol(), files.fixedParams()));
    QuantizedModel qm = QuantizedModel.read(files);
    fp = new FloatExecutor(fixed, ops);
    cvm = CvmExecutor.load(CvmCompiler.compile(qm.model(), ops, c.inputShape(batch)), "benchmark");
    Nd4j.getRandom().setSeed(42);
    x = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, batch, 1, 28, 28);
    q = qm.input().apply(x);
  }

  /** The float model on the float executor. */
  @Benchmark
  public Object floatExecutor() {
    return fp.run(x);
  }

  /** The compiled integer model on the CVM executor (exact integer semantics). */
  @Benchmark
  public Object cvmExecutor() {
    return cvm.run(q);
  }
}
