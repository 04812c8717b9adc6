package io.mrt.runtime.exec.cvm;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.atomic.AtomicInteger;
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

  /** Whether this thread is inside a parallelFor (a nested one runs inline). */
  private static final ThreadLocal<boolean[]> INSIDE = ThreadLocal.withInitial(() -> new boolean[1]);

  /**
   * Runs {@code body(i)} for i in [0, n), in parallel when there are several threads and tasks. The
   * indices are taken in chunks (four per thread) from a shared counter by the calling thread and
   * by {@code threads - 1} pool workers: the caller works instead of waiting for a worker to wake
   * up, and waits only for chunks a worker already took. Which thread runs a chunk never changes
   * a result (tasks write disjoint outputs).
   */
  void parallelFor(int n, IntConsumer body) {
    if (n <= 0) {
      return;
    }
    boolean[] inside = INSIDE.get();
    if (threads <= 1 || n == 1 || pool == null || inside[0]
        || (ForkJoinTask.inForkJoinPool() && ForkJoinTask.getPool() == pool)) {
      // one thread, one task, or already inside a task of this pool: run inline (no nested fan-out)
      for (int i = 0; i < n; i++) {
        body.accept(i);
      }
      return;
    }
    int chunks = Math.min(n, threads * 4);
    AtomicInteger next = new AtomicInteger();
    Runnable work = () -> {
      for (int c = next.getAndIncrement(); c < chunks; c = next.getAndIncrement()) {
        int lo = (int) ((long) n * c / chunks);
        int hi = (int) ((long) n * (c + 1) / chunks);
        for (int i = lo; i < hi; i++) {
          body.accept(i);
        }
      }
    };
    int helpers = Math.min(threads - 1, chunks - 1);
    List<ForkJoinTask<?>> tasks = new ArrayList<>(helpers);
    for (int h = 0; h < helpers; h++) {
      tasks.add(pool.submit(work));
    }
    inside[0] = true;
    try {
      work.run();
    } finally {
      inside[0] = false;
      // a helper no worker took yet is run (and finds no chunk left) or waited for here; its
      // exception, if any, is thrown by join
      for (ForkJoinTask<?> t : tasks) {
        t.join();
      }
    }
  }
}
