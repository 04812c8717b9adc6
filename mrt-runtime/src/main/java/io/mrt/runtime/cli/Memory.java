package io.mrt.runtime.cli;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.Locale;

/** Peak memory of this JVM, for the reports of long commands. */
final class Memory {
  private Memory() {}

  /** The sum of the heap pools' peak usage and the maximum heap, in MiB. */
  static String peakHeapLine() {
    long peak = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
        peak += pool.getPeakUsage().getUsed();
      }
    }
    long max = Runtime.getRuntime().maxMemory();
    return String.format(Locale.ROOT, "peak Java heap: %.0f MiB of %.0f MiB", peak / 1048576.0, max / 1048576.0);
  }
}
