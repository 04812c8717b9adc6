package io.mrt.runtime.stage.calibrate;

import java.nio.FloatBuffer;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The values of one observed array, read in place and in chunks: a float32 array in C order
 * (what the float executor produces) is read straight from its native buffer, a chunk of
 * {@link #CHUNK} values at a time into a reused {@code double[]}, so observing never boxes a value
 * nor copies a whole tensor. Values are visited in C order and widened to double exactly, so every
 * method computes what it would on {@code a.dup('c').castTo(DOUBLE)}. Arrays of another type or
 * layout (views, F order, parameters kept as float64) are copied once into C order first.
 */
public abstract sealed class ObservedValues {
  /** Values per chunk: small enough to stay in the L1/L2 cache. */
  static final int CHUNK = 4096;

  private ObservedValues() {}

  /** The number of values. */
  public abstract int size();

  /**
   * Copies values {@code [from, from + n)} into {@code dst[0, n)}.
   *
   * @param from the first value, in C order
   * @param dst at least {@code n} long
   * @param n how many values, at most {@link #CHUNK}
   */
  abstract void read(int from, double[] dst, int n);

  /** A scratch chunk for {@link #read}, one per pass. */
  static double[] chunk() {
    return new double[CHUNK];
  }

  /** Values of a Java array (tests, and arrays converted once). */
  public static ObservedValues of(double[] values) {
    return new Doubles(values);
  }

  /** The values of {@code a} in C order, in place when {@code a} is a float32 C-contiguous array. */
  public static ObservedValues of(INDArray a) {
    if (a.length() > Integer.MAX_VALUE - 8) {
      throw new io.mrt.runtime.MrtException("cannot calibrate an array of " + a.length()
          + " values (at most " + (Integer.MAX_VALUE - 8) + ")");
    }
    if (a.isEmpty() || a.length() == 0) {
      return new Doubles(new double[0]);
    }
    if (a.dataType() == DataType.FLOAT && !a.isView() && a.offset() == 0 && cContiguous(a)
        && a.data().length() >= a.length()) {
      return new Floats(a.data().asNioFloat(), (int) a.length());
    }
    if (a.dataType() == DataType.FLOAT) {
      INDArray c = a.dup('c');
      return new Floats(c.data().asNioFloat(), (int) c.length(), c);
    }
    return new Doubles(a.dup('c').castTo(DataType.DOUBLE).data().asDouble());
  }

  private static boolean cContiguous(INDArray a) {
    long[] shape = a.shape();
    long[] stride = a.stride();
    long expected = 1;
    for (int d = shape.length - 1; d >= 0; d--) {
      if (shape[d] != 1 && stride[d] != expected) {
        return false;
      }
      expected *= shape[d];
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

  private static final class Floats extends ObservedValues {
    private final FloatBuffer buffer;
    private final int size;
    private final float[] scratch = new float[CHUNK];
    /** Keeps a copied array (and so its native buffer) alive while it is read. */
    @SuppressWarnings("unused")
    private final INDArray owner;

    Floats(FloatBuffer buffer, int size) {
      this(buffer, size, null);
    }

    Floats(FloatBuffer buffer, int size, INDArray owner) {
      this.buffer = buffer;
      this.size = size;
      this.owner = owner;
    }

    @Override
    public int size() {
      return size;
    }

    @Override
    void read(int from, double[] dst, int n) {
      buffer.get(from, scratch, 0, n);
      for (int i = 0; i < n; i++) {
        dst[i] = scratch[i];
      }
    }
  }

  @Override
  public String toString() {
    double[] head = chunk();
    int n = Math.min(size(), 8);
    read(0, head, n);
    return "ObservedValues" + Arrays.toString(Arrays.copyOf(head, n)) + (size() > n ? "... (" + size() + ")" : "");
  }
}
