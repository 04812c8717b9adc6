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

  /**
   * Three 30 MiB blocks on a thread other than the main one: they come from that thread's arena,
   * whose heaps are at most 64 MiB, so the third block takes a second heap. Freed, the second heap
   * is empty; unless its top pad keeps it, glibc unmaps it and the next round page-faults the
   * third block's 7,680 pages again (what made the float executor's runs on JMH's worker thread
   * take 2,000 to 3,000 page faults per forward in bursts).
   */
  @Test
  void blocksFreedOnAnotherThreadAreWrittenAgainWithoutNewPageFaults() throws Exception {
    assertTrue(NativeMemory.retainFreedMemory());
    long size = 30L << 20;
    long[] faults = new long[2];
    Exception[] failure = new Exception[1];
    Thread t = new Thread(() -> {
      try {
        for (int round = 0; round < 2; round++) {
          long before = minorFaults();
          Pointer[] blocks = new Pointer[3];
          for (int i = 0; i < blocks.length; i++) {
            blocks[i] = Pointer.malloc(size);
            Pointer.memset(blocks[i], 7, size);
          }
          faults[round] = minorFaults() - before;
          for (Pointer b : blocks) {
            Pointer.free(b);
          }
        }
      } catch (Exception e) {
        failure[0] = e;
      }
    });
    t.start();
    t.join();
    if (failure[0] != null) {
      throw failure[0];
    }
    assertTrue(faults[0] >= 1, "the first round is fresh memory: " + faults[0] + " page faults");
    assertTrue(faults[1] < 512, "the second round reuses the first one's pages: " + faults[1]
        + " page faults (the first round took " + faults[0] + ")");
  }

  @Test
  void theThresholdsAreSetOncePerProcessAndReportedEveryTime() {
    boolean first = NativeMemory.retainFreedMemory();
    assertTrue(first);
    assertEquals(first, NativeMemory.retainFreedMemory());
    assertEquals(32 << 20, NativeMemory.MMAP_THRESHOLD);
    assertEquals(256 << 20, NativeMemory.TRIM_THRESHOLD);
    assertEquals(64 << 20, NativeMemory.TOP_PAD);
  }

  /**
   * The tests run as mrt does, JavaCPP's per-pointer check off (surefire's argLine): the executor
   * then checks JavaCPP's default limit itself, 4 times the heap with the default maxBytes, and a
   * process below it passes the check.
   */
  @Test
  void withJavaCppsCheckOffTheExecutorChecksJavaCppsDefaultLimitItself() {
    assertEquals(0, Pointer.maxPhysicalBytes());
    assertEquals(Pointer.maxBytes() + 3 * Runtime.getRuntime().maxMemory(), NativeMemory.RESIDENT_LIMIT);
    assertEquals(4 * Runtime.getRuntime().maxMemory(), NativeMemory.RESIDENT_LIMIT);
    assertTrue(Pointer.physicalBytes() < NativeMemory.RESIDENT_LIMIT);
    NativeMemory.checkResident();
  }
}
