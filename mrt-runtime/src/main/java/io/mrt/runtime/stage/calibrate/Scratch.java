package io.mrt.runtime.stage.calibrate;

/**
 * One thread's scratch arrays for the statistics' passes over chunks of values, reused from pass to
 * pass rather than allocated for each: calibrating ResNet-20 (4 x 16 images) allocated 12 MB per
 * call with lambda and 30 MB with kl against 2 MB for the forward alone, and the collections that
 * garbage brought on paused the calibration (the pauses scale with ND4J's native references, not
 * with the garbage). A pass takes the arrays it needs at its start and calls no other pass while
 * it uses them (each kernel works on one chunk and returns), so one set per thread suffices;
 * {@link #ways} is all zero between uses.
 */
final class Scratch {
  private static final ThreadLocal<Scratch> OF_THREAD = ThreadLocal.withInitial(Scratch::new);

  /** A chunk of float32 values ({@link ObservedValues.Floats#readFloats}). */
  final float[] floats = new float[ObservedValues.CHUNK];
  /** A chunk of float32 bits ({@link ObservedValues.Floats#readBits}). */
  final int[] bits = new int[ObservedValues.CHUNK];
  /** A chunk of values widened to double ({@link ObservedValues#read}). */
  final double[] doubles = new double[ObservedValues.CHUNK];
  /** A chunk's histogram bins. */
  final int[] bins = new int[ObservedValues.CHUNK];
  /** A chunk's histogram bins as the double-lane kernel computes them. */
  final long[] wideBins = new long[ObservedValues.CHUNK];
  /** The starts of a chunk's vectors that reach a histogram's floor ({@link ChunkStats#scanTail}). */
  final int[] marked = new int[ObservedValues.CHUNK];
  private int[] ways = new int[0];

  private Scratch() {}

  /** The calling thread's scratch arrays. */
  static Scratch get() {
    return OF_THREAD.get();
  }

  /**
   * {@code length} int counts, all zero: the sets of counts a histogram's float32 path increments
   * ({@link ChunkStats#count}); the histogram zeroes them again when it has folded them.
   */
  int[] ways(int length) {
    if (ways.length != length) {
      ways = new int[length];
    }
    return ways;
  }
}
