package io.mrt.runtime.stage.calibrate;

import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The statistics' passes reuse one set of scratch chunks per thread: observing another batch
 * allocates no chunk (before, every pass allocated its 16 KB chunks, 12 to 30 MB per ResNet-20
 * calibration), and two threads never share a chunk.
 */
class ScratchTest {
  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  /**
   * Measured after the kernels are compiled (C2 keeps the Vector API's vectors in registers; the
   * interpreter boxes each one).
   */
  @Test
  void observingAnotherBatchAllocatesLessThanOneChunk() {
    CalibrationKernels.compileAll();
    float[] v = new float[65_536];
    for (int i = 0; i < v.length; i++) {
      v[i] = (i % 1000) * 0.01f - 3f;
    }
    ObservedValues values = ObservedValues.of(Nd4j.createFromArray(v));
    for (CalibrationMethod m : List.of(new AbsMax(), new LambdaOutlier(16), new KlEntropy(2048, 128),
        new Percentile(99.99, 2048))) {
      CalibrationMethod.Observer o = m.observer();
      for (int r = 0; r < 300; r++) {
        o.observe(values);
      }
      long before = THREADS.getCurrentThreadAllocatedBytes();
      o.observe(values);
      long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
      assertTrue(allocated < 4 * ObservedValues.CHUNK, m.name() + " allocated " + allocated + " bytes for a batch");
    }
  }

  @Test
  void eachThreadHasItsOwnChunks() throws Exception {
    Scratch mine = Scratch.get();
    assertSame(mine, Scratch.get());
    var pool = Executors.newSingleThreadExecutor();
    try {
      Scratch other = pool.submit(Scratch::get).get();
      assertTrue(other != mine && other.bits != mine.bits && other.floats != mine.floats);
    } finally {
      pool.shutdown();
    }
  }

  @Test
  void theSetsOfCountsAreAllZeroAfterAHistogramAddsABatch() {
    AbsHistogram h = new AbsHistogram(2048);
    float[] v = {1f, -2f, 3.5f, 0f, Float.NaN, 7f};
    h.add(ObservedValues.of(Nd4j.createFromArray(v)));
    h.add(ObservedValues.of(Nd4j.createFromArray(new float[] {100f, -1f})));
    int[] ways = Scratch.get().ways(ChunkStats.WAYS * 2049);
    for (int c : ways) {
      assertTrue(c == 0, "a set of counts was left non-zero");
    }
  }
}
