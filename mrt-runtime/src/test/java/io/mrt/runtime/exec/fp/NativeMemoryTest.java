package io.mrt.runtime.exec.fp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.Test;

/**
 * Once glibc's thresholds are set (building a float executor sets them), native memory freed by
 * one op is reused by the next without new page faults (the build machine runs Linux with glibc).
 */
class NativeMemoryTest {
  /** Minor page faults of the calling thread so far (field 10 of /proc/thread-self/stat). */
  private static long minorFaults() throws Exception {
    String s = Files.readString(Path.of("/proc/thread-self/stat"));
    String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(f[7]);
  }

  /** Allocates {@code size} bytes natively, writes every byte and frees them; returns the page faults it took. */
  private static long touchAndFree(long size) throws Exception {
    long before = minorFaults();
    Pointer p = Pointer.malloc(size);
    Pointer.memset(p, 7, size);
    long faults = minorFaults() - before;
    Pointer.free(p);
    return faults;
  }

  @Test
  void aFreedEightMebibyteBlockIsWrittenAgainWithoutNewPageFaults() throws Exception {
    assertTrue(NativeMemory.retainFreedMemory(), "glibc's mmap and trim thresholds are set");
    long size = 8L << 20; // 2,048 pages of 4 KiB: above glibc's default mmap threshold (128 KiB)
    long first = touchAndFree(size);
    long second = touchAndFree(size);
    assertTrue(first >= 1, "the first block is fresh memory: " + first + " page faults");
    assertTrue(second < 64, "the second block reuses the first one's pages: " + second + " page faults, not 2,048");
  }

  @Test
  void theThresholdsAreSetOncePerProcessAndReportedEveryTime() {
    boolean first = NativeMemory.retainFreedMemory();
    assertTrue(first);
    assertEquals(first, NativeMemory.retainFreedMemory());
    assertEquals(32 << 20, NativeMemory.MMAP_THRESHOLD);
    assertEquals(256 << 20, NativeMemory.TRIM_THRESHOLD);
  }
}
