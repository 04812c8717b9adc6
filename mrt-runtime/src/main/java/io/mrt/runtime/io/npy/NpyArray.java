package io.mrt.runtime.io.npy;

import java.util.Arrays;

/**
 * An n-dimensional array as stored in a {@code .npy} file: a dtype, a C-order shape and the values.
 * Integer dtypes keep their values in an {@code int[]}, float32 in a {@code float[]}. Instances are
 * immutable: factories and accessors copy.
 */
public final class NpyArray {
  private final NpyDtype dtype;
  private final long[] shape;
  private final int[] ints;
  private final float[] floats;

  private NpyArray(NpyDtype dtype, long[] shape, int[] ints, float[] floats) {
    this.dtype = dtype;
    this.shape = shape;
    this.ints = ints;
    this.floats = floats;
  }

  /** An int8 array; every value must be in [-128, 127]. */
  public static NpyArray ofInt8(long[] shape, int[] values) {
    checkSize(shape, values.length);
    for (int i = 0; i < values.length; i++) {
      if (values[i] < -128 || values[i] > 127) {
        throw new IllegalArgumentException("int8 value out of range at index " + i + ": " + values[i]);
      }
    }
    return new NpyArray(NpyDtype.INT8, shape.clone(), values.clone(), null);
  }

  /** An int32 array. */
  public static NpyArray ofInt32(long[] shape, int[] values) {
    checkSize(shape, values.length);
    return new NpyArray(NpyDtype.INT32, shape.clone(), values.clone(), null);
  }

  /** A float32 array. */
  public static NpyArray ofFloat32(long[] shape, float[] values) {
    checkSize(shape, values.length);
    return new NpyArray(NpyDtype.FLOAT32, shape.clone(), null, values.clone());
  }

  /** Wraps already-validated arrays without copying (reader use). */
  static NpyArray wrap(NpyDtype dtype, long[] shape, int[] ints, float[] floats) {
    return new NpyArray(dtype, shape, ints, floats);
  }

  private static void checkSize(long[] shape, int length) {
    long n = 1;
    for (long d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
      }
      n *= d;
    }
    if (n != length) {
      throw new IllegalArgumentException(
          "shape " + Arrays.toString(shape) + " holds " + n + " elements, but " + length + " values were given");
    }
  }

  /** The element type. */
  public NpyDtype dtype() {
    return dtype;
  }

  /** A copy of the shape. */
  public long[] shape() {
    return shape.clone();
  }

  /** Number of dimensions. */
  public int ndim() {
    return shape.length;
  }

  /** Number of elements. */
  public int size() {
    return ints != null ? ints.length : floats.length;
  }

  /** A copy of the values of an integer array. */
  public int[] toIntArray() {
    if (ints == null) {
      throw new IllegalStateException("a " + dtype + " array has no integer values");
    }
    return ints.clone();
  }

  /** A copy of the values of a float32 array. */
  public float[] toFloatArray() {
    if (floats == null) {
      throw new IllegalStateException("a " + dtype + " array has no float values");
    }
    return floats.clone();
  }

  /** The integer value at flat (C-order) index {@code i}. */
  public int intAt(int i) {
    return ints[i];
  }

  /** Package access to the integer values without copying. */
  int[] ints() {
    return ints;
  }

  /** Package access to the float values without copying. */
  float[] floats() {
    return floats;
  }

  @Override
  public String toString() {
    return "NpyArray[" + dtype + " " + Arrays.toString(shape) + "]";
  }
}
