package io.mrt.runtime.exec.fp;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;
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
 * that much freed memory per heap stays mapped for reuse. It changes where memory comes from, never
 * what is stored in it; the process keeps at most its peak native footprint mapped, which it had
 * already used. Not on glibc (another C library, another OS), or with
 * {@code -Dmrt.malloc.retain=false}, nothing is changed.
 */
final class NativeMemory {
  private static final Logger LOG = LoggerFactory.getLogger(NativeMemory.class);

  /** glibc's {@code M_TRIM_THRESHOLD} option of {@code mallopt}. */
  private static final int M_TRIM_THRESHOLD = -1;
  /** glibc's {@code M_MMAP_THRESHOLD} option of {@code mallopt}. */
  private static final int M_MMAP_THRESHOLD = -3;
  /** Blocks up to 32 MiB come from the heaps, not from their own mappings. */
  static final int MMAP_THRESHOLD = 32 << 20;
  /** Up to 256 MiB freed at the top of a heap stays mapped. */
  static final int TRIM_THRESHOLD = 256 << 20;

  private static volatile Boolean applied;

  /** The C library's functions used here (glibc only: {@code gnu_get_libc_version} tells). */
  private interface LibC extends Library {
    String gnu_get_libc_version();

    int mallopt(int param, int value);
  }

  private NativeMemory() {}

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
      boolean ok = c.mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD) == 1 && c.mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD) == 1;
      LOG.debug("glibc {}: mmap threshold {} and trim threshold {} {}", version, MMAP_THRESHOLD, TRIM_THRESHOLD,
          ok ? "set" : "refused");
      return ok;
    } catch (LinkageError | RuntimeException e) {
      // not glibc (no gnu_get_libc_version) or no JNA native support: glibc's defaults stay
      LOG.debug("malloc thresholds left at the C library's defaults: {}", e.toString());
      return false;
    }
  }
}
