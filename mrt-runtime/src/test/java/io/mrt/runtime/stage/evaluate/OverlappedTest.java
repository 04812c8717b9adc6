package io.mrt.runtime.stage.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mrt.runtime.MrtException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Steps on their own threads, joined by bounded queues: order kept, items bounded, failures rethrown. */
class OverlappedTest {
  /** 0, 1, ..., n - 1, counting how many were taken. */
  private static Iterator<Object> counting(int n, AtomicInteger taken) {
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return taken.get() < n;
      }

      @Override
      public Object next() {
        return taken.getAndIncrement();
      }
    };
  }

  @Test
  void everyStepSeesTheItemsInSourceOrder() {
    AtomicInteger taken = new AtomicInteger();
    List<Integer> seen = new ArrayList<>();
    Function<Object, Object> square = o -> (Integer) o * (Integer) o;
    Function<Object, Object> plusOne = o -> (Integer) o + 1;
    Overlapped.<Integer>run("test", counting(200, taken), List.of(square, plusOne), seen::add, 2);
    assertEquals(IntStream.range(0, 200).map(i -> i * i + 1).boxed().toList(), seen);
  }

  /**
   * A slow sink: the source runs ahead by at most the queued items plus one item held by each
   * thread: 2 queues of 3 and 3 threads (source, step, sink) give 2 * 3 + 3 = 9.
   */
  @Test
  void theSourceRunsAheadOfTheSinkByABoundedNumberOfItems() {
    AtomicInteger taken = new AtomicInteger();
    int[] maxAhead = {0};
    int[] consumed = {0};
    Overlapped.<Object>run("test", counting(60, taken), List.of(o -> o), o -> {
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
      consumed[0]++;
      maxAhead[0] = Math.max(maxAhead[0], taken.get() - consumed[0]);
    }, 3);
    assertEquals(60, consumed[0]);
    assertTrue(maxAhead[0] <= 9 && maxAhead[0] >= 3, "ahead by " + maxAhead[0]);
  }

  @Test
  void aStepFailureIsRethrownAsIsAndStopsTheSource() {
    AtomicInteger taken = new AtomicInteger();
    MrtException bad = new MrtException("node fc: bad input");
    Function<Object, Object> failAt5 = o -> {
      if ((Integer) o == 5) {
        throw bad;
      }
      return o;
    };
    List<Object> seen = new ArrayList<>();
    MrtException e = assertThrows(MrtException.class,
        () -> Overlapped.run("test", counting(1_000_000, taken), List.of(failAt5), seen::add, 2));
    assertSame(bad, e);
    assertEquals(List.of(0, 1, 2, 3, 4), seen);
    assertTrue(taken.get() < 1_000, "the source stopped after " + taken.get());
  }

  @Test
  void anOutOfMemoryErrorOfTheSourceReachesTheCaller() {
    Iterator<Object> source = new Iterator<>() {
      int i;

      @Override
      public boolean hasNext() {
        return true;
      }

      @Override
      public Object next() {
        if (i++ == 3) {
          throw new OutOfMemoryError("Java heap space");
        }
        return i;
      }
    };
    List<Object> seen = new ArrayList<>();
    OutOfMemoryError e = assertThrows(OutOfMemoryError.class,
        () -> Overlapped.run("test", source, List.of(o -> o), seen::add, 1));
    assertEquals("Java heap space", e.getMessage());
    assertEquals(List.of(1, 2, 3), seen);
  }

  @Test
  void aSinkFailureStopsEveryThread() {
    AtomicInteger taken = new AtomicInteger();
    assertThrows(IllegalStateException.class, () -> Overlapped.run("test", counting(1_000_000, taken),
        List.of(o -> o), o -> {
          throw new IllegalStateException("sink");
        }, 2));
    int after = taken.get();
    assertTrue(after < 1_000, "the source stopped after " + after);
    assertTrue(Thread.getAllStackTraces().keySet().stream().noneMatch(t -> t.getName().startsWith("test-")),
        "no thread of the run is left");
  }
}
