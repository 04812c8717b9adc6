package io.mrt.benchmarks;

import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the machine's cores give a register-only kernel: float fused multiply-adds on twelve
 * independent 16-lane accumulators, no memory traffic. Run it with {@code -t 1} and {@code -t 2}:
 * the ratio of the two throughputs is the most any two-thread kernel can gain on the machine at
 * that moment (on the build machine's two virtual CPUs it varies between runs, see
 * docs/performance.md), so it is the yardstick for the CVM kernels' two-thread figures. One
 * operation is one 16-lane FMA.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar FmaCeilingBenchmark -t 1
 * java -jar benchmarks/target/benchmarks.jar FmaCeilingBenchmark -t 2
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx256m", "--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class FmaCeilingBenchmark {
  private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
  private static final int STEPS = 10_000;
  private static final int CHAINS = 12;

  private float m = 0.9999999f;
  private float c = 1e-7f;

  @Benchmark
  @OperationsPerInvocation(STEPS * CHAINS)
  public float fma() {
    FloatVector mv = FloatVector.broadcast(F, m);
    FloatVector cv = FloatVector.broadcast(F, c);
    FloatVector a0 = FloatVector.broadcast(F, 1f);
    FloatVector a1 = a0;
    FloatVector a2 = a0;
    FloatVector a3 = a0;
    FloatVector a4 = a0;
    FloatVector a5 = a0;
    FloatVector a6 = a0;
    FloatVector a7 = a0;
    FloatVector a8 = a0;
    FloatVector a9 = a0;
    FloatVector a10 = a0;
    FloatVector a11 = a0;
    for (int i = 0; i < STEPS; i++) {
      a0 = a0.fma(mv, cv);
      a1 = a1.fma(mv, cv);
      a2 = a2.fma(mv, cv);
      a3 = a3.fma(mv, cv);
      a4 = a4.fma(mv, cv);
      a5 = a5.fma(mv, cv);
      a6 = a6.fma(mv, cv);
      a7 = a7.fma(mv, cv);
      a8 = a8.fma(mv, cv);
      a9 = a9.fma(mv, cv);
      a10 = a10.fma(mv, cv);
      a11 = a11.fma(mv, cv);
    }
    return a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9).add(a10).add(a11)
        .lane(0);
  }
}
