package io.mrt.runtime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.MemoryUsage;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The peak heap is the heap in use at one instant (before a collection, or now), not a sum of pool peaks. */
class MemoryTest {
  @Test
  void theHeapInUseBeforeACollectionSumsTheHeapPoolsOnlyAtThatInstant() {
    Map<String, MemoryUsage> before = Map.of(
        "G1 Eden Space", new MemoryUsage(0, 300L << 20, 400L << 20, -1),
        "G1 Old Gen", new MemoryUsage(0, 200L << 20, 500L << 20, 1024L << 20),
        "G1 Survivor Space", new MemoryUsage(0, 10L << 20, 16L << 20, -1),
        "CodeHeap 'non-nmethods'", new MemoryUsage(0, 5L << 20, 6L << 20, 8L << 20));
    Set<String> heap = Set.of("G1 Eden Space", "G1 Old Gen", "G1 Survivor Space");
    assertEquals(510L << 20, Memory.heapUsed(before, heap));
  }

  /** 64 MiB held across a collection are live after it: the peak live heap counts them. */
  @Test
  void memoryHeldAcrossACollectionIsCountedLive() {
    Memory.watch();
    byte[][] held = new byte[64][];
    for (int i = 0; i < held.length; i++) {
      held[i] = new byte[1 << 20];
    }
    System.gc();
    assertTrue(Memory.peakLiveBytes() >= 64L << 20, "live after a collection " + Memory.peakLiveBytes());
    assertEquals(1 << 20, held[63].length);
  }

  @Test
  void thePeakCountsMemoryHeldNowAndSurvivesItsRelease() {
    Memory.watch();
    byte[][] held = new byte[64][];
    for (int i = 0; i < held.length; i++) {
      held[i] = new byte[1 << 20];
    }
    long now = 0;
    for (java.lang.management.MemoryPoolMXBean pool : java.lang.management.ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == java.lang.management.MemoryType.HEAP) {
        now += pool.getUsage().getUsed();
      }
    }
    // the 64 MiB held are in use now, so in the peak (which may be higher still: earlier tests ran in this JVM)
    assertTrue(now >= 64L << 20, "heap in use " + now + " while holding 64 MiB");
    long peak = Memory.peakHeapBytes();
    assertTrue(peak >= now, "peak " + peak + " below the heap in use " + now);
    assertEquals(64, held.length);
    held = null;
    System.gc();
    assertTrue(Memory.peakHeapBytes() >= peak, "the peak does not fall after the memory is released");
    assertTrue(Memory.peakLiveBytes() <= Memory.peakHeapBytes(), "live after a collection within the peak in use");
    assertTrue(Memory.peakHeapLine().matches("peak Java heap: \\d+ MiB of \\d+ MiB \\(at most \\d+ MiB live after a collection\\)"), Memory.peakHeapLine());
  }
}
