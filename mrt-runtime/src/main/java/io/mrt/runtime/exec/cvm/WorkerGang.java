package io.mrt.runtime.exec.cvm;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * A calling thread and {@code size - 1} resident worker threads that share the chunks of one loop
 * at a time. A compiled CVM graph runs a hundred or more short parallel loops per batch (tenths of
 * a millisecond each at batch 16); waking a parked thread for each of them costs as much as the
 * loop. So the caller takes chunks itself, and a worker keeps checking for a new loop for
 * {@link #SPIN_NANOS} after its last chunk before it parks (spinning, then yielding so that a
 * loaded machine's other threads run): within a run the next loop finds it awake. Chunks are claimed from
 * an atomic counter and write disjoint outputs, so results do not depend on which thread runs
 * which chunk.
 *
 * <p>One loop runs at a time: a second caller that finds the gang busy, and a loop started from
 * inside a chunk, run their chunks on the calling thread.
 */
final class WorkerGang {
  /**
   * How long an idle worker spins before it parks (a wake costs tens of microseconds), in
   * microseconds: system property {@code mrt.cvm.spinMicros}, default 200.
   */
  static final long SPIN_NANOS = 1000L * Long.getLong("mrt.cvm.spinMicros", 200);

  /** How long a wait spins before it yields between checks. */
  private static final long PAUSE_NANOS = 20_000;

  private final int size;
  private final Thread[] workers;
  private final AtomicBoolean busy = new AtomicBoolean();
  /** The loop the workers should join; null before the first. */
  private volatile Job current;

  WorkerGang(int size) {
    if (size < 2) {
      throw new IllegalArgumentException("a gang needs at least 2 threads, found " + size);
    }
    this.size = size;
    this.workers = new Thread[size - 1];
    for (int i = 0; i < workers.length; i++) {
      Thread t = new Worker(this::work, "mrt-cvm-" + size + "-" + (i + 1));
      t.setDaemon(true);
      workers[i] = t;
      t.start();
    }
  }

  /** Threads that share a loop, the caller included. */
  int size() {
    return size;
  }

  /**
   * Runs {@code body(i)} for every i in [0, n), split into {@code chunks} contiguous ranges shared by
   * the caller and the workers; returns when all are done, rethrowing the first failure.
   */
  void run(int n, int chunks, IntConsumer body) {
    if (Thread.currentThread() instanceof Worker || !busy.compareAndSet(false, true)) {
      for (int i = 0; i < n; i++) {
        body.accept(i);
      }
      return;
    }
    try {
      Job job = new Job(n, chunks, body, Thread.currentThread());
      current = job;
      for (Thread w : workers) {
        LockSupport.unpark(w);
      }
      job.work();
      job.awaitDone();
      Throwable failure = job.failure;
      if (failure instanceof RuntimeException re) {
        throw re;
      }
      if (failure instanceof Error e) {
        throw e;
      }
      if (failure != null) {
        throw new IllegalStateException(failure);
      }
    } finally {
      busy.set(false);
    }
  }

  /** A worker: joins every new loop, spins a while after it, then parks until the next. */
  private void work() {
    Job seen = null;
    long idleSince = System.nanoTime();
    while (true) {
      Job job = current;
      if (job != null && job != seen) {
        seen = job;
        job.work();
        idleSince = System.nanoTime();
      } else if (System.nanoTime() - idleSince < SPIN_NANOS) {
        idle(idleSince);
      } else {
        LockSupport.park(this);
        idleSince = System.nanoTime();
      }
    }
  }

  /**
   * One step of a wait that started at {@code since}: a spin hint for the first
   * {@link #PAUSE_NANOS}, then a yield, which lets other runnable threads have the core (a loaded
   * machine) and returns at once when there are none.
   */
  private static void idle(long since) {
    if (System.nanoTime() - since < PAUSE_NANOS) {
      Thread.onSpinWait();
    } else {
      Thread.yield();
    }
  }

  /** The marker type of the gang's threads (a loop started inside a chunk runs inline). */
  private static final class Worker extends Thread {
    Worker(Runnable r, String name) {
      super(r, name);
    }
  }

  /**
   * One loop. Its counters are fields updated through {@link VarHandle}s (the same atomic
   * operations as {@code AtomicInteger} and {@code AtomicReference}), so a loop allocates this
   * object only.
   */
  private static final class Job {
    private static final VarHandle NEXT;
    private static final VarHandle DONE;
    private static final VarHandle FAILURE;

    static {
      try {
        MethodHandles.Lookup l = MethodHandles.lookup();
        NEXT = l.findVarHandle(Job.class, "next", int.class);
        DONE = l.findVarHandle(Job.class, "done", int.class);
        FAILURE = l.findVarHandle(Job.class, "failure", Throwable.class);
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }

    private final int n;
    private final int chunks;
    private final IntConsumer body;
    private final Thread caller;
    /** The next chunk to claim. */
    private volatile int next;
    /** Chunks finished. */
    private volatile int done;
    /** The first chunk's failure; later chunks are skipped once it is set. */
    private volatile Throwable failure;

    Job(int n, int chunks, IntConsumer body, Thread caller) {
      this.n = n;
      this.chunks = chunks;
      this.body = body;
      this.caller = caller;
    }

    void work() {
      int c;
      while ((c = (int) NEXT.getAndAdd(this, 1)) < chunks) {
        int lo = (int) ((long) n * c / chunks);
        int hi = (int) ((long) n * (c + 1) / chunks);
        try {
          if (failure == null) {
            for (int i = lo; i < hi; i++) {
              body.accept(i);
            }
          }
        } catch (Throwable t) {
          FAILURE.compareAndSet(this, null, t);
        } finally {
          if ((int) DONE.getAndAdd(this, 1) + 1 == chunks) {
            LockSupport.unpark(caller);
          }
        }
      }
    }

    /** Waits (spinning first: the last chunks are short) until every chunk is done. */
    void awaitDone() {
      long start = System.nanoTime();
      while (done < chunks) {
        if (System.nanoTime() - start < SPIN_NANOS) {
          idle(start);
        } else {
          LockSupport.parkNanos(this, 50_000);
        }
      }
    }
  }
}
