package io.mrt.runtime.stage.calibrate;

/**
 * Runs every Vector API kernel of the calibration statistics until C2 has compiled it, as a
 * pipeline does before its evaluate stage runs the CVM executor (used by tests that check what the
 * executor does afterwards in the same JVM).
 */
public final class CalibrationKernels {
  private CalibrationKernels() {
  }

  /** Runs each kernel 20,000 times on a chunk of 4,096 values; returns a value derived from all results. */
  public static long compileAll() {
    float[] values = new float[ObservedValues.CHUNK];
    int[] bits = new int[values.length];
    for (int i = 0; i < values.length; i++) {
      values[i] = (i % 97) * 0.37f - 10f;
      bits[i] = Float.floatToRawIntBits(values[i]);
    }
    long[] bin = new long[values.length];
    int[] intBin = new int[values.length];
    long[] counts = new long[2048];
    int[] marked = new int[values.length];
    int[] state = new int[2];
    long[] sums = new long[3];
    long seen = 0;
    for (int r = 0; r < 20_000; r++) {
      seen += VectorStats.absMaxBits(bits, bits.length, 0);
      VectorStats.bins(values, values.length, 0.01, 2047, bin);
      seen += VectorStats.binsOfBits(bits, bits.length, 0.0078125f, 2047, intBin, 0) + intBin[5];
      VectorStats.scanTail(bits, bits.length, 5f, 0.01, 2047, counts, marked, state);
      VectorStats.fixedPointSums(values, values.length, 0x1p40, 0x1p30, sums);
      seen += bin[7] + state[1] + sums[0];
    }
    return seen;
  }
}
