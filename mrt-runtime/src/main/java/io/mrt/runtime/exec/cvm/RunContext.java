package io.mrt.runtime.exec.cvm;

import java.util.function.IntConsumer;

/**
 * What a kernel may use while running: the worker threads and the executor options. Work is split
 * into independent tasks that write disjoint outputs, so results never depend on the thread count
 * or on scheduling.
 */
final class RunContext {
  /** The threads of a parallel loop; null with one thread. */
  private final WorkerGang gang;
  private final CvmExecutor.ConvKernel convKernel;

  RunContext(WorkerGang gang, CvmExecutor.ConvKernel convKernel) {
    this.gang = gang;
    this.convKernel = convKernel;
  }

  CvmExecutor.ConvKernel convKernel() {
    return convKernel;
  }

  /** Threads that share a parallel loop, the calling thread included. */
  int threads() {
    return gang == null ? 1 : gang.size();
  }

  /** Runs {@code body(i)} for i in [0, n), in parallel when there are several threads and tasks. */
  void parallelFor(int n, IntConsumer body) {
    if (n <= 0) {
      return;
    }
    if (n == 1 || gang == null) {
      for (int i = 0; i < n; i++) {
        body.accept(i);
      }
      return;
    }
    gang.run(n, Math.min(n, gang.size() * 4), body);
  }
}
