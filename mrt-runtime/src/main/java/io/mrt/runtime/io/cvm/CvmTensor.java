package io.mrt.runtime.io.cvm;

import java.util.Arrays;

/**
 * One tensor of a CVM params file: the DLPack context and dtype as stored, the shape, and (for the
 * integer dtypes the runtime accepts, int8 and int32) the values widened to int32. Tensors of any
 * other dtype keep no values; the executor refuses them at load. Immutable.
 */
public final class CvmTensor {
  /** DLPack dtype code of signed integers. */
  public static final int KDL_INT = 0;
  /** DLPack dtype code of unsigned integers. */
  public static final int KDL_UINT = 1;
  /** DLPack dtype code of floats. */
  public static final int KDL_FLOAT = 2;
  /** DLPack device type of the CPU. */
  public static final int KDL_CPU = 1;

  private final int deviceType;
  private final int deviceId;
  private final int dtypeCode;
  private final int dtypeBits;
  private final int dtypeLanes;
  private final long[] shape;
  private final int[] values;

  CvmTensor(int deviceType, int deviceId, int code, int bits, int lanes, long[] shape, int[] values) {
    this.deviceType = deviceType;
    this.deviceId = deviceId;
    this.dtypeCode = code;
    this.dtypeBits = bits;
    this.dtypeLanes = lanes;
    this.shape = shape;
    this.values = values;
  }

  /** An int32 CPU tensor. */
  public static CvmTensor ofInt32(long[] shape, int[] values) {
    check(shape, values);
    return new CvmTensor(KDL_CPU, 0, KDL_INT, 32, 1, shape.clone(), values.clone());
  }

  /** An int8 CPU tensor; every value must be in [-128, 127]. */
  public static CvmTensor ofInt8(long[] shape, int[] values) {
    check(shape, values);
    for (int i = 0; i < values.length; i++) {
      if (values[i] < -128 || values[i] > 127) {
        throw new IllegalArgumentException("int8 tensor value out of range at index " + i + ": " + values[i]);
      }
    }
    return new CvmTensor(KDL_CPU, 0, KDL_INT, 8, 1, shape.clone(), values.clone());
  }

  /**
   * A parameter stored the way MRT stores it: int8 when {@code precision <= 8}, else int32
   * (parameter precision reduction).
   */
  public static CvmTensor forPrecision(long[] shape, int[] values, int precision) {
    return precision <= 8 ? ofInt8(shape, values) : ofInt32(shape, values);
  }

  private static void check(long[] shape, int[] values) {
    long n = 1;
    for (long d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException("negative dimension in " + Arrays.toString(shape));
      }
      n *= d;
    }
    if (n != values.length) {
      throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + n + " values, got "
          + values.length);
    }
  }

  /** DLPack device type as stored (1 = CPU). */
  public int deviceType() {
    return deviceType;
  }

  /** Device id as stored. */
  public int deviceId() {
    return deviceId;
  }

  /** DLPack dtype code (0 int, 1 uint, 2 float). */
  public int dtypeCode() {
    return dtypeCode;
  }

  /** Bits per lane. */
  public int dtypeBits() {
    return dtypeBits;
  }

  /** Lanes. */
  public int dtypeLanes() {
    return dtypeLanes;
  }

  /** Whether this is an int8 or int32 tensor with one lane (the dtypes the runtime accepts). */
  public boolean isSupportedInt() {
    return values != null;
  }

  /** The dtype as text, for example {@code int8} or {@code float32}. */
  public String dtypeName() {
    String base = dtypeCode == KDL_INT ? "int" : dtypeCode == KDL_UINT ? "uint" : dtypeCode == KDL_FLOAT
        ? "float" : "code" + dtypeCode + "_";
    return base + dtypeBits + (dtypeLanes == 1 ? "" : "x" + dtypeLanes);
  }

  /** A copy of the shape. */
  public long[] shape() {
    return shape.clone();
  }

  /** Number of elements. */
  public long size() {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    return n;
  }

  /** A copy of the values widened to int32; only for {@link #isSupportedInt()} tensors. */
  public int[] toIntArray() {
    if (values == null) {
      throw new IllegalStateException("a " + dtypeName() + " tensor has no int32 values");
    }
    return values.clone();
  }

  /** The values without copying (package use; never modified). */
  int[] values() {
    return values;
  }

  @Override
  public String toString() {
    return "CvmTensor[" + dtypeName() + " " + Arrays.toString(shape) + "]";
  }
}
