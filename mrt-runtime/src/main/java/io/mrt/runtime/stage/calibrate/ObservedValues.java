package io.mrt.runtime.stage.calibrate;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The values of one observed array, read in place and in chunks: a float32 array whose elements
 * fill a range of its buffer (C order, F order, or any permutation of the axes, such as the
 * NCHW-shaped views of NHWC buffers the float executor passes between convolutions) is read
 * straight from its native buffer in storage order, a chunk of {@link #CHUNK} values at a time
 * into a reused {@code double[]}, so observing never boxes a value nor copies a whole tensor.
 * Values are widened to double exactly. Every method's statistics are independent of the order in
 * which values are visited (maxima, histogram counts, exact sums of values rounded on a grid per
 * batch), so a threshold is the same whatever the array's layout. Arrays of another type or strided views that skip elements are
 * copied once into C order first.
 */
public abstract sealed class ObservedValues {
  /** Values per chunk: small enough to stay in the L1/L2 cache. */
  static final int CHUNK = 4096;

  private ObservedValues() {}

  /** The number of values. */
  public abstract int size();

  /**
   * Copies values {@code [from, from + n)}, in storage order, into {@code dst[0, n)}.
   *
   * @param from the first value
   * @param dst at least {@code n} long
   * @param n how many values, at most {@link #CHUNK}
   */
  abstract void read(int from, double[] dst, int n);

  /** Values of a Java array (tests, and arrays converted once). */
  public static ObservedValues of(double[] values) {
    return new Doubles(values);
  }

  /** The values of {@code a}, in place when {@code a} is a float32 array filling a range of its buffer. */
  public static ObservedValues of(INDArray a) {
    if (a.length() > Integer.MAX_VALUE - 8) {
      throw new io.mrt.runtime.MrtException("cannot calibrate an array of " + a.length()
          + " values (at most " + (Integer.MAX_VALUE - 8) + ")");
    }
    if (a.isEmpty() || a.length() == 0) {
      return new Doubles(new double[0]);
    }
    if (a.dataType() == DataType.FLOAT && dense(a) && a.offset() >= 0
        && a.offset() + a.length() <= a.data().length()) {
      return new Floats(bits(a), (int) a.offset(), (int) a.length(), a);
    }
    if (a.dataType() == DataType.FLOAT) {
      INDArray c = a.dup('c');
      return new Floats(bits(c), 0, (int) c.length(), c);
    }
    return new Doubles(a.dup('c').castTo(DataType.DOUBLE).data().asDouble());
  }

  /** The float32 buffer of {@code a} in native byte order, from the buffer's element 0. */
  private static ByteBuffer bits(INDArray a) {
    return a.data().asNio().order(ByteOrder.nativeOrder());
  }

  /**
   * True when the elements of {@code a} are exactly {@code a.length()} consecutive buffer elements:
   * its strides, sorted, are those of a dense array of its sizes in some order of the axes
   * (axes of size 1 aside).
   */
  static boolean dense(INDArray a) {
    long[] shape = a.shape();
    long[] stride = a.stride();
    long[] s = new long[shape.length];
    long[] z = new long[shape.length];
    int r = 0;
    for (int d = 0; d < shape.length; d++) {
      if (shape[d] == 1) {
        continue;
      }
      // insertion by stride, ascending
      int k = r++;
      while (k > 0 && s[k - 1] > stride[d]) {
        s[k] = s[k - 1];
        z[k] = z[k - 1];
        k--;
      }
      s[k] = stride[d];
      z[k] = shape[d];
    }
    long expected = 1;
    for (int k = 0; k < r; k++) {
      if (s[k] != expected) {
        return false;
      }
      expected *= z[k];
    }
    return true;
  }

  private static final class Doubles extends ObservedValues {
    private final double[] values;

    Doubles(double[] values) {
      this.values = values;
    }

    @Override
    public int size() {
      return values.length;
    }

    @Override
    void read(int from, double[] dst, int n) {
      System.arraycopy(values, from, dst, 0, n);
    }
  }

  /**
   * The values of a float32 array: besides {@link #read}, its float32 values and their bits can be
   * read as they are (statistics take these paths when {@code values instanceof Floats}).
   */
  static final class Floats extends ObservedValues {
    private final IntBuffer buffer;
    private final FloatBuffer floats;
    private final int offset;
    private final int size;
    /** {@link #read}'s chunk of bits, made on its first call (the float32 paths never call it). */
    private int[] scratch;
    /**
     * Keeps the array read (or its copy), and so its native buffer, alive while it is read: the
     * NIO view of the buffer does not, and a caller may drop its own reference once it has the
     * values (a test that reads {@code ObservedValues.of(Nd4j.createFromArray(v))} many times read
     * freed memory once the collector had run).
     */
    @SuppressWarnings("unused")
    private final INDArray owner;

    Floats(ByteBuffer bytes, int offset, int size, INDArray owner) {
      this.buffer = bytes.asIntBuffer();
      this.floats = bytes.asFloatBuffer();
      this.offset = offset;
      this.size = size;
      this.owner = owner;
    }

    @Override
    public int size() {
      return size;
    }

    @Override
    void read(int from, double[] dst, int n) {
      if (scratch == null) {
        scratch = new int[CHUNK];
      }
      buffer.get(offset + from, scratch, 0, n);
      for (int i = 0; i < n; i++) {
        dst[i] = Float.intBitsToFloat(scratch[i]);
      }
    }

    /** Copies the float32 bits of values {@code [from, from + n)}, in storage order, into {@code dst[0, n)}. */
    void readBits(int from, int[] dst, int n) {
      buffer.get(offset + from, dst, 0, n);
    }

    /** Copies the float32 values {@code [from, from + n)}, in storage order, into {@code dst[0, n)}. */
    void readFloats(int from, float[] dst, int n) {
      floats.get(offset + from, dst, 0, n);
    }
  }

  @Override
  public String toString() {
    int n = Math.min(size(), 8);
    double[] head = new double[n];
    read(0, head, n);
    return "ObservedValues" + Arrays.toString(Arrays.copyOf(head, n)) + (size() > n ? "... (" + size() + ")" : "");
  }
}
