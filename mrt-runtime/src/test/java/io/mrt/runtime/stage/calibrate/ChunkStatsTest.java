package io.mrt.runtime.stage.calibrate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mrt.runtime.VectorApi;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The chunk kernels with the Vector API give the plain loops' results value by value: histogram
 * bins on bin edges, next to them, on the upper edge, subnormals and zeros; abs-max bits with NaN,
 * infinities and negative zero anywhere in the chunk.
 */
class ChunkStatsTest {
  @BeforeAll
  static void vectorApiPresent() {
    assertTrue(VectorApi.AVAILABLE, "run with --add-modules jdk.incubator.vector");
  }

  /** The definition of a bin before folding: min(top, (int) (|x| widened / width)). */
  private static long definition(float x, double width, int top) {
    return Math.min(top, (int) ((double) Math.abs(x) / width));
  }

  /** Values on and next to the edges k * width (k = 0 .. top + 1), subnormals, zeros, negatives. */
  private static float[] edges(double width, int top) {
    List<Float> v = new ArrayList<>();
    for (int k : new int[] {0, 1, 2, 3, 7, 100, top / 2, top - 2, top - 1, top, top + 1}) {
      float x = (float) (k * width);
      for (float y : new float[] {x, Math.nextUp(x), Math.nextDown(x), -x}) {
        if (y >= 0 || k > 0) {
          v.add(y);
        }
      }
    }
    for (float y : new float[] {0f, -0f, Float.MIN_VALUE, 1e-40f, Float.MIN_NORMAL, -Float.MIN_VALUE}) {
      v.add(y);
    }
    float[] a = new float[v.size()];
    for (int i = 0; i < a.length; i++) {
      a[i] = v.get(i);
    }
    return a;
  }

  @Test
  void vectorBinsAreTheDefinitionsOnEdgeValues() {
    int top = 2048;
    // a power of two (every edge exact), decimal widths, the width a histogram takes from its
    // abs-max (abs-max / bins: the abs-max itself lands on the upper edge), a subnormal-sized width
    double[] widths = {0.25, 0.1, 3.7f / 2048.0, 1e-3, Float.MIN_VALUE * 3.0, 1e-300};
    for (double width : widths) {
      float[] v = edges(width, top);
      long[] vector = new long[v.length];
      VectorStats.bins(v, v.length, width, top, vector);
      long[] plain = new long[v.length];
      ChunkStats.bins(v, 0, v.length, width, top, plain);
      for (int i = 0; i < v.length; i++) {
        assertEquals(definition(v[i], width, top), vector[i], "width " + width + ", value " + v[i]);
        assertEquals(definition(v[i], width, top), plain[i], "width " + width + ", value " + v[i]);
      }
    }
    // width 0.25, exact: an edge opens its bin, the float just below stays in the bin before;
    // 512 = 2048 * 0.25 is the upper edge (bin top, folded into the last bin by the histogram)
    float[] v = {0.25f, Math.nextDown(0.25f), 0.5f, 511.75f, Math.nextDown(512f), 512f, -512f, 1e6f, 1e-40f, -0f,
        0.3f, 0.74f, 0.75f, 1f, 2.5f, 100f, 200f};
    long[] bins = new long[v.length];
    VectorStats.bins(v, v.length, 0.25, top, bins);
    assertArrayEquals(new long[] {1, 0, 2, 2047, 2047, 2048, 2048, 2048, 0, 0, 1, 2, 3, 4, 10, 400, 800}, bins);
  }

  /** {@code values} repeated into a whole number of chunks' worth of vector lanes, as bits. */
  private static int[] lanes(float[] values, int n) {
    int[] bits = new int[n];
    for (int i = 0; i < n; i++) {
      bits[i] = Float.floatToRawIntBits(values[i % values.length]);
    }
    return bits;
  }

  /** The float-lane kernel's bins and abs-max bits against the definition, value by value. */
  private static void assertFloatWidthBins(int[] bits, int n, float width, int top, String what) {
    int[] bin = new int[n];
    int max = VectorStats.binsOfBits(bits, n, width, top, bin, 0);
    assertEquals(ChunkStats.absMaxBits(bits, 0, n, 0), max, what);
    for (int i = 0; i < n; i++) {
      float x = Float.intBitsToFloat(bits[i]);
      assertEquals(definition(x, width, top), bin[i], what + ", value " + x + " (bits " + Integer.toHexString(bits[i]) + ")");
    }
  }

  @Test
  void floatWidthBinsAreTheDefinitionsOnEdgesNaNAndInfinities() {
    int top = 2048;
    // widths an abs-max over 2,048 bins takes (abs-max 3.7, 1, 1e30), doubled ones, a decimal
    // float, the smallest normal float and a large one
    float[] widths = {3.7f / 2048, 7.4f / 2048, 1f / 2048, 0.1f, 1e-3f, 0.25f, Float.MIN_NORMAL, 1e30f / 2048, 0x1p100f};
    for (float width : widths) {
      assertTrue(ChunkStats.floatWidth(width), "width " + width);
      float[] edges = edges(width, top);
      float[] v = java.util.Arrays.copyOf(edges, edges.length + 7);
      float[] special = {Float.NaN, Float.intBitsToFloat(0xffc0_0001), Float.intBitsToFloat(0x7f80_0001),
          Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MAX_VALUE, -Float.MAX_VALUE};
      System.arraycopy(special, 0, v, edges.length, special.length);
      // every value in a vector lane (the chunk's length is a multiple of the lanes), and a tail
      assertFloatWidthBins(lanes(v, 16 * v.length), 16 * v.length, width, top, "width " + width);
      assertFloatWidthBins(lanes(v, 16 * v.length + 5), 16 * v.length + 5, width, top, "width " + width + ", tail");
    }
    // width 0.25: an edge opens its bin, the float just below stays in the bin before; 512 is the
    // upper edge (bin top); NaN in bin 0 and infinity in the top, as the cast gives them
    float[] v = {0.25f, Math.nextDown(0.25f), 0.5f, 511.75f, Math.nextDown(512f), 512f, -512f, 1e6f, 1e-40f, -0f,
        0.3f, 0.74f, 0.75f, Float.NaN, Float.POSITIVE_INFINITY, 200f};
    int[] bin = new int[16];
    VectorStats.binsOfBits(lanes(v, 16), 16, 0.25f, top, bin, 0);
    assertArrayEquals(new int[] {1, 0, 2, 2047, 2047, 2048, 2048, 2048, 0, 0, 1, 2, 3, 0, 2048, 800}, bin);
  }

  @Test
  void floatWidthBinsAreTheDefinitionsForRandomWidthsAndValuesNearEveryEdge() {
    Random r = new Random(29);
    int n = 1024;
    for (int trial = 0; trial < 2000; trial++) {
      int top = 1 + r.nextInt(trial % 2 == 0 ? 2048 : 1 << 20);
      // a random float width: any significand, an exponent from 2^-126 to 2^99
      float width = Math.scalb(1 + r.nextFloat(), r.nextInt(226) - 126);
      float[] v = new float[n];
      for (int i = 0; i < n; i++) {
        if (i % 64 == 63) {
          // NaN and infinities in lanes too, also once the kernel is compiled (later trials)
          v[i] = new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}[i / 64 % 3];
          continue;
        }
        float edge = (float) ((double) r.nextInt(top + 2) * width);
        switch (i % 4) {
          case 0 -> v[i] = edge;
          case 1 -> v[i] = Math.nextDown(edge);
          case 2 -> v[i] = -Math.nextUp(edge);
          default -> v[i] = (float) (r.nextDouble() * (top + 1) * width);
        }
      }
      assertFloatWidthBins(lanes(v, n), n, width, top, "width " + width + ", top " + top);
    }
  }

  @Test
  void widthsThatAreNotNormalFloatsTakeTheFloat64Kernel() {
    assertTrue(ChunkStats.floatWidth(3.7f / 2048.0));
    assertTrue(!ChunkStats.floatWidth(0.1), "0.1 is not a float");
    assertTrue(!ChunkStats.floatWidth(3.7 / 1000), "an abs-max over 1,000 bins");
    assertTrue(!ChunkStats.floatWidth(Float.MIN_VALUE * 3.0), "subnormal");
    assertTrue(!ChunkStats.floatWidth(0x1p101), "its inverse is subnormal");
    assertTrue(!ChunkStats.floatWidth(1e300), "beyond the floats");
  }

  @Test
  void vectorBinsAgreeWithThePlainLoopOnRandomChunks() {
    Random r = new Random(11);
    float[] v = new float[ObservedValues.CHUNK];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) (r.nextGaussian() * Math.pow(2, r.nextInt(20) - 10));
    }
    for (double width : new double[] {1.0 / 2048, 0.37 / 2048, 1e-5}) {
      for (int n : new int[] {ObservedValues.CHUNK, 4093, 13, 3}) {
        long[] vector = new long[n];
        long[] plain = new long[n];
        VectorStats.bins(v, n, width, 2048, vector);
        ChunkStats.bins(v, 0, n, width, 2048, plain);
        assertArrayEquals(plain, vector, "width " + width + ", n " + n);
      }
    }
  }

  @Test
  void nanAndInfinitiesTakeThePlainLoopNaNInBinZeroInfinityInTheTop() {
    float[] v = {Float.NaN, 1f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0.5f, -Float.NaN, 3f, 0.1f, 0.2f};
    long[] bins = new long[v.length];
    ChunkStats.bins(v, 0, v.length, 0.25, 8, bins);
    assertArrayEquals(new long[] {0, 4, 8, 8, 2, 0, 8, 0, 0}, bins);
    // counted into sets of 9 (top 8 + 1): value i into set i % WAYS
    int[] counts = new int[ChunkStats.WAYS * 9];
    ChunkStats.count((ObservedValues.Floats) ObservedValues.of(Nd4j.createFromArray(v)), 0.25, 8, false, counts);
    int[] expected = new int[ChunkStats.WAYS * 9];
    for (int i = 0; i < v.length; i++) {
      expected[(i % ChunkStats.WAYS) * 9 + (int) bins[i]]++;
    }
    assertArrayEquals(expected, counts);
  }

  @Test
  void vectorCountsAreThePlainCountsOverSeveralChunks() {
    Random r = new Random(4);
    float[] v = new float[3 * ObservedValues.CHUNK + 37];
    for (int i = 0; i < v.length; i++) {
      v[i] = i % 3 == 0 ? 0 : (float) (r.nextGaussian() * 2);
    }
    double width = 9.5 / 64;
    int[] vector = new int[ChunkStats.WAYS * 65];
    ChunkStats.count((ObservedValues.Floats) ObservedValues.of(Nd4j.createFromArray(v)), width, 64, true, vector);
    int[] plain = new int[ChunkStats.WAYS * 65];
    long[] bins = new long[v.length];
    ChunkStats.bins(v, 0, v.length, width, 64, bins);
    for (int i = 0; i < v.length; i++) {
      // chunks of 4,096 are a multiple of WAYS: value i of the array goes to set i % WAYS
      plain[(i % ChunkStats.WAYS) * 65 + (int) bins[i]]++;
    }
    assertArrayEquals(plain, vector);
  }

  @Test
  void aHistogramOfFloat32ValuesCountsWhatItsFloat64CopyCounts() {
    // bins 4, abs-max 1 (NaN passed over): width 0.25; NaN -> bin 0, 1 (the upper edge) -> bin 3;
    // bin 0: NaN, the float below 0.25, 0; bin 1: 0.25, 0.3; bin 2: 0.5, 0.7499; bin 3: 1, -1, 0.75, 0.99
    float[] v = {Float.NaN, 1, 0.5f, -1, 0.25f, Math.nextDown(0.25f), 0.75f, -0.7499f, 0, 0.3f, 0.99f};
    double[] widened = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      widened[i] = v[i];
    }
    AbsHistogram floats = new AbsHistogram(4);
    floats.add(ObservedValues.of(Nd4j.createFromArray(v)));
    AbsHistogram doubles = new AbsHistogram(4);
    doubles.add(widened);
    assertArrayEquals(new long[] {3, 2, 2, 4}, doubles.counts());
    assertArrayEquals(doubles.counts(), floats.counts());
    assertEquals(0.25, floats.width());
    assertEquals(1.0, floats.absMax());
    assertEquals(11, floats.total());
  }

  /**
   * Five batches of float32 values: batch 2 (abs-max 4) within batch 1's range of 5, batch 3
   * (abs-max 12) doubles the width twice, batches 4 and 5 hold a NaN and an infinity. Every batch
   * leaves the counts of the float64 copies.
   */
  @Test
  void aHistogramOverBatchesThatGrowItAndHoldNaNOrInfinityCountsWhatItsFloat64CopyCounts() {
    java.util.Random r = new java.util.Random(4);
    float[] maxima = {5, 4, 12, 3, 2};
    AbsHistogram floats = new AbsHistogram(64);
    AbsHistogram doubles = new AbsHistogram(64);
    for (int b = 0; b < maxima.length; b++) {
      float[] v = new float[ObservedValues.CHUNK + 21];
      for (int i = 0; i < v.length; i++) {
        v[i] = (float) ((r.nextDouble() * 2 - 1) * maxima[b] * 0.99);
      }
      v[40] = -maxima[b];
      if (b == 3) {
        v[5] = Float.NaN;
      }
      if (b == 4) {
        v[6] = Float.POSITIVE_INFINITY;
      }
      double[] widened = new double[v.length];
      for (int i = 0; i < v.length; i++) {
        widened[i] = v[i];
      }
      floats.add(ObservedValues.of(Nd4j.createFromArray(v)));
      doubles.add(widened);
      assertArrayEquals(doubles.counts(), floats.counts(), "batch " + b);
      assertEquals(doubles.width(), floats.width(), "batch " + b);
      assertEquals(doubles.absMax(), floats.absMax(), "batch " + b);
      assertEquals(doubles.total(), floats.total(), "batch " + b);
    }
    assertEquals(Double.POSITIVE_INFINITY, floats.absMax());
  }

  private static int vectorAbsMaxBits(int[] bits) {
    float[] v = new float[bits.length];
    for (int i = 0; i < v.length; i++) {
      v[i] = Float.intBitsToFloat(bits[i]);
    }
    // through the chunk loop (ChunkStats takes the vector kernel: the module is present)
    return ChunkStats.absMaxBits((ObservedValues.Floats) ObservedValues.of(Nd4j.createFromArray(v)));
  }

  @Test
  void absMaxBitsAreThePlainMaximumWithNaNAndInfinitiesAnywhere() {
    Random r = new Random(2);
    for (int n : new int[] {2 * ObservedValues.CHUNK + 5, 1000, 17, 16, 15, 1}) {
      int[] bits = new int[n];
      for (int i = 0; i < n; i++) {
        bits[i] = Float.floatToRawIntBits((float) r.nextGaussian());
      }
      assertEquals(ChunkStats.absMaxBits(bits, 0, n, 0), vectorAbsMaxBits(bits), "n " + n);
      if (n <= ObservedValues.CHUNK) {
        assertEquals(ChunkStats.absMaxBits(bits, 0, n, 0), VectorStats.absMaxBits(bits, n, 0), "n " + n);
      }
      for (int special : new int[] {Float.floatToRawIntBits(Float.NEGATIVE_INFINITY),
          Float.floatToRawIntBits(Float.NaN), 0xffc0_0001, Float.floatToRawIntBits(-0f)}) {
        for (int at : new int[] {0, n / 2, n - 1}) {
          int[] b = bits.clone();
          b[at] = special;
          assertEquals(ChunkStats.absMaxBits(b, 0, n, 0), vectorAbsMaxBits(b), "n " + n + " at " + at);
        }
      }
    }
    // -3, 2 and -0: the bits of 3; a negative NaN (sign set) still shows above infinity
    int[] b = {Float.floatToRawIntBits(-3f), Float.floatToRawIntBits(2f), Float.floatToRawIntBits(-0f)};
    assertEquals(Float.floatToRawIntBits(3f), vectorAbsMaxBits(b));
    assertTrue(vectorAbsMaxBits(new int[] {0xffc0_0001, 5}) > ChunkStats.INFINITY_BITS);
  }
}
