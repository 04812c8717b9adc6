package io.mrt.runtime.cli;

import io.mrt.runtime.MrtException;
import io.mrt.runtime.exec.cvm.CvmExecutor;
import io.mrt.runtime.exec.cvm.CvmRebatch;
import io.mrt.runtime.io.cvm.CvmModel;
import io.mrt.runtime.io.cvm.CvmModelReader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code mrt cvm-bench}: loads a compiled CVM model and times inference of one batch of random
 * inputs (within the precision of data): load time, latency median and p90, images per second,
 * effective GMAC/s (conv2d and dense multiply-accumulates counted from the graph) and the memory of
 * a run (run-time buffers and parameters).
 */
@Command(name = "cvm-bench", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    description = "Time a compiled CVM model: load time, latency median/p90, images/s, effective GMAC/s "
    + "and memory.")
final class CvmBenchCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--model", required = true, paramLabel = "DIR", description = "Compiled model folder with "
      + "symbol and params.")
  Path model;

  @Option(names = "--batch", paramLabel = "N", description = "Images per run (default: the model's batch; "
      + "another value re-infers the graph's shapes for that batch).")
  Integer batch;

  @Option(names = "--threads", paramLabel = "N", description = "Worker threads (default: all processors).")
  Integer threads;

  @Option(names = "--kernel", paramLabel = "K", defaultValue = "packed", description = "packed (default), "
      + "packed-scalar, blocked or naive.")
  String kernel;

  @Option(names = "--warmup", paramLabel = "N", defaultValue = "5", description = "Untimed runs first "
      + "(default: ${DEFAULT-VALUE}).")
  int warmup;

  @Option(names = "--runs", paramLabel = "N", defaultValue = "20", description = "Timed runs "
      + "(default: ${DEFAULT-VALUE}).")
  int runs;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    CvmExecutor.ConvKernel k = switch (kernel) {
      case "packed" -> CvmExecutor.ConvKernel.PACKED;
      case "packed-scalar" -> CvmExecutor.ConvKernel.PACKED_SCALAR;
      case "blocked" -> CvmExecutor.ConvKernel.BLOCKED;
      case "naive" -> CvmExecutor.ConvKernel.NAIVE;
      default -> throw new MrtException("--kernel: expected packed, packed-scalar, blocked or naive, found "
          + kernel);
    };
    if (warmup < 0 || runs < 1) {
      throw new MrtException("--warmup must be >= 0 and --runs >= 1, found " + warmup + " and " + runs);
    }
    int t = threads == null ? Runtime.getRuntime().availableProcessors() : CvmRunCommand.checkThreads(threads);
    long t0 = System.nanoTime();
    CvmModel m = CvmModelReader.read(model);
    if (batch != null) {
      m = CvmRebatch.rebatch(m, model.toString(), batch);
    }
    CvmExecutor exec = CvmExecutor.load(m, model.toString(), new CvmExecutor.Options(t, k));
    double loadMs = (System.nanoTime() - t0) / 1e6;
    long[] shape = exec.inputShape();
    int images = (int) shape[0];
    int size = (int) Arrays.stream(shape).reduce(1, (a, b) -> a * b);
    int r = (1 << (exec.inputPrecision() - 1)) - 1;
    int[] x = new Random(42).ints(size, -r, r + 1).toArray();
    for (int i = 0; i < warmup; i++) {
      exec.run(x);
    }
    double[] ms = new double[runs];
    java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
    boolean cpuTimed = t == 1 && mx.isCurrentThreadCpuTimeSupported();
    double[] cpu = new double[runs];
    for (int i = 0; i < runs; i++) {
      long c = cpuTimed ? mx.getCurrentThreadCpuTime() : 0;
      long s = System.nanoTime();
      exec.run(x);
      ms[i] = (System.nanoTime() - s) / 1e6;
      cpu[i] = cpuTimed ? (mx.getCurrentThreadCpuTime() - c) / 1e6 : 0;
    }
    Arrays.sort(cpu);
    Arrays.sort(ms);
    double median = ms.length % 2 == 1 ? ms[ms.length / 2] : (ms[ms.length / 2 - 1] + ms[ms.length / 2]) / 2;
    double p90 = ms[Math.min(ms.length - 1, (int) Math.ceil(0.9 * ms.length) - 1)];
    long macs = exec.macs();
    out.printf(Locale.ROOT, "model: %s (%d operator nodes, %d steps after fusion)%n", model, exec.operatorCount(),
        exec.stepCount());
    out.printf(Locale.ROOT, "kernel: %s%s, threads: %d%n", kernel, exec.vectorKernels() ? " (Vector API)" : "", t);
    out.printf(Locale.ROOT, "batch: %d, input %s%n", images, Arrays.toString(shape));
    out.printf(Locale.ROOT, "load: %.1f ms%n", loadMs);
    out.printf(Locale.ROOT,
        "memory: buffers %.2f MiB (%.1f KiB/image), kernel scratch %.2f MiB, params %.2f MiB, file storage plan %.2f MiB%n",
        exec.bufferBytes() / 1048576.0, exec.bufferBytes() / 1024.0 / images, exec.scratchBytes() / 1048576.0,
        exec.paramBytes() / 1048576.0, exec.storageBytes() / 1048576.0);
    out.printf(Locale.ROOT, "MACs: %.2f M/image%n", macs / 1e6 / images);
    out.printf(Locale.ROOT, "latency (%d runs after %d warm-up): median %.2f ms, p90 %.2f ms%n", runs, warmup,
        median, p90);
    out.printf(Locale.ROOT, "throughput: %.1f images/s, %.2f GMAC/s%n", images * 1000.0 / median,
        macs / median / 1e6);
    if (cpuTimed) {
      // on one thread all work runs on the calling thread: its CPU time excludes time lost to other processes
      double cm = cpu[cpu.length / 2];
      out.printf(Locale.ROOT, "cpu time (calling thread): median %.2f ms, %.2f GMAC/s per busy core%n", cm,
          macs / cm / 1e6);
    }
    out.printf(Locale.ROOT, "peak heap: %.1f MiB (max %.0f MiB)%n", Memory.peakHeapBytes() / 1048576.0,
        Runtime.getRuntime().maxMemory() / 1048576.0);
    out.flush();
    return Main.OK;
  }
}
