package io.mrt.runtime.stage.evaluate;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Runs items through a chain of steps that overlap: the source and every step but the last run on
 * their own thread, joined by bounded queues, and the last step (the sink) runs on the caller's
 * thread. Each step sees the items in source order, one at a time, so a result accumulated by the
 * sink is the one of a plain loop. At most {@code capacity} items wait between two steps, so no more
 * than {@code (steps + 1) * (capacity + 1)} items are alive at once, whatever the source's length.
 *
 * <p>The first failure of any thread (exception or error, an {@link OutOfMemoryError} included) stops
 * every thread and is rethrown as is on the caller's thread.
 */
final class Overlapped {
  private static final Object END = new Object();

  private Overlapped() {}

  /** A failure of a step, passed downstream in place of an item. */
  private record Failure(Throwable error) {}

  /**
   * Pulls every item of {@code source} through {@code steps} into {@code sink}.
   *
   * @param name names the threads ({@code name-0}, ...)
   * @param source read on a thread of its own
   * @param steps each on a thread of its own, in order
   * @param sink on the caller's thread
   * @param capacity the bound of each queue, at least 1
   */
  @SuppressWarnings("unchecked")
  static <T> void run(String name, Iterator<?> source, List<Function<Object, Object>> steps, Consumer<T> sink,
      int capacity) {
    List<BlockingQueue<Object>> queues = new ArrayList<>();
    for (int i = 0; i <= steps.size(); i++) {
      queues.add(new ArrayBlockingQueue<>(capacity));
    }
    List<Thread> threads = new ArrayList<>();
    threads.add(thread(name + "-read", () -> {
      BlockingQueue<Object> out = queues.get(0);
      try {
        while (source.hasNext()) {
          if (!put(out, source.next())) {
            return;
          }
        }
        put(out, END);
      } catch (Throwable t) {
        putFailure(out, t);
      }
    }));
    for (int s = 0; s < steps.size(); s++) {
      Function<Object, Object> step = steps.get(s);
      BlockingQueue<Object> in = queues.get(s);
      BlockingQueue<Object> out = queues.get(s + 1);
      threads.add(thread(name + "-" + s, () -> {
        try {
          while (true) {
            Object item = in.take();
            if (item == END || item instanceof Failure) {
              put(out, item);
              return;
            }
            if (!put(out, step.apply(item))) {
              return;
            }
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        } catch (Throwable t) {
          putFailure(out, t);
        }
      }));
    }
    threads.forEach(Thread::start);
    BlockingQueue<Object> last = queues.get(steps.size());
    try {
      while (true) {
        Object item = last.take();
        if (item == END) {
          break;
        }
        if (item instanceof Failure f) {
          rethrow(f.error());
        }
        sink.accept((T) item);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(name + " was interrupted", e);
    } finally {
      for (Thread t : threads) {
        t.interrupt();
      }
      for (Thread t : threads) {
        try {
          t.join();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }

  private static Thread thread(String name, Runnable body) {
    Thread t = new Thread(body, name);
    t.setDaemon(true);
    return t;
  }

  /** False when interrupted (the consumer stopped). */
  private static boolean put(BlockingQueue<Object> q, Object item) {
    try {
      q.put(item);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Passes a failure on after the items before it (a stopped consumer interrupts the wait). */
  private static void putFailure(BlockingQueue<Object> q, Throwable t) {
    put(q, new Failure(t));
  }

  private static void rethrow(Throwable t) {
    if (t instanceof RuntimeException r) {
      throw r;
    }
    if (t instanceof Error e) {
      throw e;
    }
    throw new IllegalStateException(t);
  }
}
