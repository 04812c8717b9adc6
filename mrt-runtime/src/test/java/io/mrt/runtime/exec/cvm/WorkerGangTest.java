package io.mrt.runtime.exec.cvm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

class WorkerGangTest {
  private static final WorkerGang GANG = new WorkerGang(3);

  @Test
  void everyIndexRunsExactlyOnceWhateverTheChunking() {
    for (int[] nc : new int[][] {{1, 1}, {7, 12}, {12, 12}, {1000, 12}, {1001, 5}, {3, 3}}) {
      AtomicIntegerArray hits = new AtomicIntegerArray(nc[0]);
      GANG.run(nc[0], nc[1], i -> hits.incrementAndGet(i));
      int[] expected = new int[nc[0]];
      java.util.Arrays.fill(expected, 1);
      int[] got = new int[nc[0]];
      for (int i = 0; i < got.length; i++) {
        got[i] = hits.get(i);
      }
      assertArrayEquals(expected, got, "n=" + nc[0] + " chunks=" + nc[1]);
    }
  }

  @Test
  void theCallerAndTheWorkersShareTheChunks() {
    Set<String> threads = ConcurrentHashMap.newKeySet();
    // each chunk waits until three threads have started one, so all three must take part
    CountDownLatch started = new CountDownLatch(3);
    GANG.run(3, 3, i -> {
      threads.add(Thread.currentThread().getName());
      started.countDown();
      try {
        assertTrue(started.await(10, java.util.concurrent.TimeUnit.SECONDS));
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
    assertEquals(3, threads.size());
    assertTrue(threads.contains(Thread.currentThread().getName()));
  }

  @Test
  void aFailingChunkIsRethrownToTheCallerAndTheGangStaysUsable() {
    IllegalArgumentException boom = new IllegalArgumentException("index 5 is out of range");
    IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class, () -> GANG.run(12, 12, i -> {
      if (i == 5) {
        throw boom;
      }
    }));
    assertSame(boom, thrown);
    AtomicIntegerArray hits = new AtomicIntegerArray(4);
    GANG.run(4, 4, hits::incrementAndGet);
    assertEquals("[1, 1, 1, 1]", hits.toString());
  }

  @Test
  void aLoopStartedInsideAChunkRunsOnThatThread() {
    AtomicIntegerArray inner = new AtomicIntegerArray(6 * 4);
    Set<Boolean> sameThread = ConcurrentHashMap.newKeySet();
    GANG.run(6, 6, i -> {
      Thread outer = Thread.currentThread();
      GANG.run(4, 4, j -> {
        sameThread.add(Thread.currentThread() == outer);
        inner.incrementAndGet(i * 4 + j);
      });
    });
    assertEquals(Set.of(true), sameThread);
    for (int k = 0; k < 24; k++) {
      assertEquals(1, inner.get(k), "inner index " + k);
    }
  }

  @Test
  void concurrentCallersEachGetEveryIndexOfTheirOwnLoop() throws InterruptedException {
    int callers = 4;
    AtomicIntegerArray[] hits = new AtomicIntegerArray[callers];
    Thread[] ts = new Thread[callers];
    for (int c = 0; c < callers; c++) {
      AtomicIntegerArray h = new AtomicIntegerArray(500);
      hits[c] = h;
      ts[c] = new Thread(() -> {
        for (int rep = 0; rep < 200; rep++) {
          GANG.run(500, 12, h::incrementAndGet);
        }
      });
      ts[c].start();
    }
    for (Thread t : ts) {
      t.join();
    }
    for (int c = 0; c < callers; c++) {
      for (int i = 0; i < 500; i++) {
        assertEquals(200, hits[c].get(i), "caller " + c + ", index " + i);
      }
    }
  }
}
