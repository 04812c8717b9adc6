package io.mrt.runtime.exec.fp;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import org.bytedeco.javacpp.Pointer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the native memory that ND4J frees between ops in the process, so that the next op's
 * arrays reuse it instead of asking the kernel for fresh pages.
 *
 * <p>Every op of a float run allocates its outputs off-heap through glibc's {@code malloc}, and the
 * executor frees each intermediate array after its last reader. With glibc's defaults, a freed
 * block at the top of a heap larger than the trim threshold goes back to the kernel, and blocks
 * above the (dynamic) mmap threshold are mapped and unmapped one by one; either way the next
 * allocation page-faults and zeroes every page again. On {@code cifar_resnet20_v1} at batch 64 that
 * was about 2,500 to 3,000 minor page faults per forward, half of the forward's CPU time, and
 * whether it happened varied with the heap's layout over the run (the executor's "warm-up").
 *
 * <p>{@link #retainFreedMemory} sets, once per process, glibc's {@code M_MMAP_THRESHOLD} to
 * {@value #MMAP_THRESHOLD} bytes (glibc's own upper bound for its dynamic threshold: larger blocks
 * are still mapped one by one) and {@code M_TRIM_THRESHOLD} to {@value #TRIM_THRESHOLD} bytes: up to
 * that much freed memory per heap stays mapped for reuse. A thread other than the main one
 * allocates from its own arena, made of heaps of at most 64 MiB; glibc unmaps such a heap as soon
 * as it is empty unless the arena's top pad says to keep that much, whatever the trim threshold, so
 * a run on a worker thread (JMH's, an evaluation pipeline's) whose arrays spread over two heaps
 * page-faulted the second one again on every run that emptied it: 2,000 to 3,000 page faults per
 * ResNet-20 forward at batch 64, in bursts. {@code M_TOP_PAD} is therefore set to
 * {@value #TOP_PAD} bytes, a heap's largest size: an empty heap stays, and a growing main heap
 * reserves that much more address space (pages are only backed once written). It changes where memory comes from, never
 * what is stored in it; the process keeps at most its peak native footprint mapped, which it had
 * already used. Not on glibc (another C library, another OS), or with
 * {@code -Dmrt.malloc.retain=false}, nothing is changed.
 */
final class NativeMemory {
  private static final Logger LOG = LoggerFactory.getLogger(NativeMemory.class);

  /** glibc's {@code M_TRIM_THRESHOLD} option of {@code mallopt}. */
  private static final int M_TRIM_THRESHOLD = -1;
  /** glibc's {@code M_TOP_PAD} option of {@code mallopt}. */
  private static final int M_TOP_PAD = -2;
  /** glibc's {@code M_MMAP_THRESHOLD} option of {@code mallopt}. */
  private static final int M_MMAP_THRESHOLD = -3;
  /** Blocks up to 32 MiB come from the heaps, not from their own mappings. */
  static final int MMAP_THRESHOLD = 32 << 20;
  /** Up to 256 MiB freed at the top of a heap stays mapped. */
  static final int TRIM_THRESHOLD = 256 << 20;
  /** A thread arena's heap that becomes empty stays mapped: 64 MiB, the largest heap on 64-bit glibc. */
  static final int TOP_PAD = 64 << 20;

  private static volatile Boolean applied;

  /** The C library's functions used here (glibc only: {@code gnu_get_libc_version} tells). */
  private interface LibC extends Library {
    String gnu_get_libc_version();

    int mallopt(int param, int value);
  }

  private NativeMemory() {}

  private static final long MIB = 1024 * 1024;

  /**
   * The most resident memory the process may have after an op of a float run: JavaCPP's own
   * default limit, its {@code maxBytes} (the Java heap's maximum unless set) plus three times the
   * heap's maximum (4 GiB with {@code -Xmx1g}). {@code mrt} turns JavaCPP's check off, which read
   * the resident size from {@code /proc} for every native pointer ND4J allocates (several per op,
   * about a tenth of a float forward's CPU time), and it is enforced here once per op instead. 0
   * (no check here) when JavaCPP checks a limit itself: the user set one.
   */
  static final long RESIDENT_LIMIT = Pointer.maxPhysicalBytes() > 0 ? 0
      : Pointer.maxBytes() + 3 * Runtime.getRuntime().maxMemory();

  /** At most one reading of the resident size per this many nanoseconds ({@link #checkResident}). */
  static final long CHECK_INTERVAL_NANOS = 1_000_000;
  /** When {@link #checkResident} reads the resident size next (racy across threads, harmlessly). */
  private static long nextCheck = System.nanoTime();

  /**
   * Does what JavaCPP does when the resident size passes {@link #RESIDENT_LIMIT}: collects garbage
   * (arrays that only the collector frees) and waits for their memory, up to 10 times 100 ms, then
   * throws {@link OutOfMemoryError} if it is still above (the stage then names itself, its batch
   * and what to change). Reads the resident size (about 5 microseconds) at most once per
   * {@link #CHECK_INTERVAL_NANOS}: an op that allocates much takes longer than that to write it, so
   * the check after it reads the size.
   */
  static void checkResident() {
    long limit = RESIDENT_LIMIT;
    if (limit <= 0) {
      return;
    }
    long now = System.nanoTime();
    if (now - nextCheck < 0) {
      return;
    }
    nextCheck = now + CHECK_INTERVAL_NANOS;
    if (Pointer.physicalBytesInaccurate(limit) <= limit) {
      return;
    }
    long resident = limit + 1;
    for (int tries = 0; tries < 10 && resident > limit; tries++) {
      System.gc();
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      resident = Pointer.physicalBytes();
    }
    if (resident > limit) {
      throw new OutOfMemoryError("resident memory " + resident / MIB + " MiB is above the limit of " + limit / MIB
          + " MiB, four times the Java heap");
    }
  }

  /**
   * Sets glibc's thresholds once per process; true when they are set (now or before), false when
   * the C library is not glibc, the call failed, or {@code mrt.malloc.retain} is {@code false}.
   */
  static boolean retainFreedMemory() {
    Boolean a = applied;
    if (a == null) {
      synchronized (NativeMemory.class) {
        a = applied;
        if (a == null) {
          a = apply();
          applied = a;
        }
      }
    }
    return a;
  }

  private static boolean apply() {
    if (!Boolean.parseBoolean(System.getProperty("mrt.malloc.retain", "true")) || !Platform.isLinux()) {
      return false;
    }
    try {
      LibC c = Native.load("c", LibC.class);
      String version = c.gnu_get_libc_version();
      boolean ok = c.mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD) == 1 && c.mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD) == 1
          && c.mallopt(M_TOP_PAD, TOP_PAD) == 1;
      LOG.debug("glibc {}: mmap threshold {}, trim threshold {} and top pad {} {}", version, MMAP_THRESHOLD,
          TRIM_THRESHOLD, TOP_PAD, ok ? "set" : "refused");
      return ok;
    } catch (LinkageError | RuntimeException e) {
      // not glibc (no gnu_get_libc_version) or no JNA native support: glibc's defaults stay
      LOG.debug("malloc thresholds left at the C library's defaults: {}", e.toString());
      return false;
    }
  }
}
