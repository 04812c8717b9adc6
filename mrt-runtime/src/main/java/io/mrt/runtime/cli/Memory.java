package io.mrt.runtime.cli;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * Peak heap of this JVM, for the reports of long commands. Heap in use only grows between two
 * collections, so its peak is the largest of the heap in use just before each collection (the
 * collector's notification gives it, pool by pool, at one instant) and the heap in use now. The
 * sum of each pool's own peak would overstate it: the pools peak at different times.
 */
final class Memory {
  private static final AtomicLong BEFORE_GC_PEAK = new AtomicLong();
  /** The largest heap in use just after a collection: the most the program held live at once, as far as collections saw. */
  private static final AtomicLong AFTER_GC_PEAK = new AtomicLong();
  private static boolean watching;

  private Memory() {}

  /** Starts following the collections (once per JVM; the commands call it when they start). */
  static synchronized void watch() {
    if (watching) {
      return;
    }
    watching = true;
    Set<String> heapPools = heapPoolNames();
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (gc instanceof NotificationEmitter emitter) {
        emitter.addNotificationListener((n, handback) -> {
          if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
            com.sun.management.GcInfo info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData())
                .getGcInfo();
            BEFORE_GC_PEAK.accumulateAndGet(heapUsed(info.getMemoryUsageBeforeGc(), heapPools), Math::max);
            AFTER_GC_PEAK.accumulateAndGet(heapUsed(info.getMemoryUsageAfterGc(), heapPools), Math::max);
          }
        }, null, null);
      }
    }
  }

  /** The heap in use summed over the heap pools of {@code byPool} (pools of other kinds ignored). */
  static long heapUsed(Map<String, MemoryUsage> byPool, Set<String> heapPools) {
    long used = 0;
    for (Map.Entry<String, MemoryUsage> e : byPool.entrySet()) {
      if (heapPools.contains(e.getKey()) && e.getValue() != null) {
        used += e.getValue().getUsed();
      }
    }
    return used;
  }

  private static Set<String> heapPoolNames() {
    Set<String> names = new HashSet<>();
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        names.add(pool.getName());
      }
    }
    return names;
  }

  /**
   * The peak heap in use since {@link #watch} (bytes): before the largest collection, or now. The
   * notifications arrive on another thread, so each collector's last collection is also read here.
   */
  static long peakHeapBytes() {
    long now = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        now += pool.getUsage().getUsed();
      }
    }
    long peak = Math.max(BEFORE_GC_PEAK.get(), now);
    Set<String> heapPools = heapPoolNames();
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (gc instanceof com.sun.management.GarbageCollectorMXBean sun && sun.getLastGcInfo() != null) {
        peak = Math.max(peak, heapUsed(sun.getLastGcInfo().getMemoryUsageBeforeGc(), heapPools));
      }
    }
    return peak;
  }

  /**
   * The most heap found in use just after a collection since {@link #watch} (bytes; 0 before the
   * first): a bound from below on the live data at its peak, where {@link #peakHeapBytes} also
   * counts the garbage the collector had not yet reclaimed (with a large heap it lets much of it wait).
   */
  static long peakLiveBytes() {
    long peak = AFTER_GC_PEAK.get();
    Set<String> heapPools = heapPoolNames();
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (gc instanceof com.sun.management.GarbageCollectorMXBean sun && sun.getLastGcInfo() != null) {
        peak = Math.max(peak, heapUsed(sun.getLastGcInfo().getMemoryUsageAfterGc(), heapPools));
      }
    }
    return peak;
  }

  /** The peak heap in use, the maximum heap and the most found live after a collection, in MiB. */
  static String peakHeapLine() {
    long max = Runtime.getRuntime().maxMemory();
    return String.format(Locale.ROOT, "peak Java heap: %.0f MiB of %.0f MiB (at most %.0f MiB live after a collection)",
        peakHeapBytes() / 1048576.0, max / 1048576.0, peakLiveBytes() / 1048576.0);
  }
}
