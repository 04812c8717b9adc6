package io.mrt.runtime.exec.cvm;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.function.IntConsumer;

/**
 * What a kernel may use while running: the worker pool and the executor options. Work is split
 * into independent tasks that write disjoint outputs, so results never depend on the thread count
 * or on scheduling.
 */
final class RunContext {
  private final ForkJoinPool pool;
  private final int threads;
  private final CvmExecutor.ConvKernel convKernel;

  RunContext(ForkJoinPool pool, int threads, CvmExecutor.ConvKernel convKernel) {
    this.pool = pool;
    this.threads = threads;
    this.convKernel = convKernel;
  }

  CvmExecutor.ConvKernel convKernel() {
    return convKernel;
  }

  int threads() {
    return threads;
  }

  /** Runs {@code body(i)} for i in [0, n), in parallel when there are several threads and tasks. */
  void parallelFor(int n, IntConsumer body) {
    if (n <= 0) {
      return;
    }
    if (threads <= 1 || n == 1 || pool == null) {
      for (int i = 0; i < n; i++) {
        body.accept(i);
      }
      return;
    }
    if (ForkJoinTask.inForkJoinPool() && ForkJoinTask.getPool() == pool) {
      // already inside a task of this pool: run inline (no nested fan-out)
      for (int i = 0; i < n; i++) {
        body.accept(i);
      }
      return;
    }
    int chunks = Math.min(n, threads * 4);
    List<ForkJoinTask<?>> tasks = new ArrayList<>(chunks);
    for (int c = 0; c < chunks; c++) {
      final int lo = (int) ((long) n * c / chunks);
      final int hi = (int) ((long) n * (c + 1) / chunks);
      tasks.add(ForkJoinTask.adapt(() -> {
        for (int i = lo; i < hi; i++) {
          body.accept(i);
        }
      }));
    }
    pool.submit(() -> ForkJoinTask.invokeAll(tasks)).join();
  }
}
