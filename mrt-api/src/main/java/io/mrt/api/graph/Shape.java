package io.mrt.api.graph;

import java.util.Arrays;

/** An immutable tensor shape. {@code toString} prints MXNet's tuple form, e.g. {@code (1, 3, 32, 32)}. */
public final class Shape {
  private final long[] dims;

  private Shape(long[] dims) {
    this.dims = dims;
  }

  /** A shape with the given dimensions (copied). */
  public static Shape of(long... dims) {
    return new Shape(dims.clone());
  }

  /** A shape with the given int dimensions. */
  public static Shape ofInts(int... dims) {
    long[] d = new long[dims.length];
    for (int i = 0; i < dims.length; i++) {
      d[i] = dims[i];
    }
    return new Shape(d);
  }

  /** The number of dimensions. */
  public int rank() {
    return dims.length;
  }

  /** Dimension {@code i}; a negative {@code i} counts from the end. */
  public long dim(int i) {
    return dims[i < 0 ? dims.length + i : i];
  }

  /** A copy of the dimensions. */
  public long[] dims() {
    return dims.clone();
  }

  /** The dimensions as ints (every dimension must fit an int). */
  public int[] intDims() {
    int[] d = new int[dims.length];
    for (int i = 0; i < dims.length; i++) {
      d[i] = Math.toIntExact(dims[i]);
    }
    return d;
  }

  /** The number of elements (the product of the dimensions). */
  public long size() {
    long s = 1;
    for (long d : dims) {
      s = Math.multiplyExact(s, d);
    }
    return s;
  }

  /** This shape with dimension {@code i} replaced. */
  public Shape withDim(int i, long value) {
    long[] d = dims.clone();
    d[i < 0 ? d.length + i : i] = value;
    return new Shape(d);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Shape s && Arrays.equals(dims, s.dims);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(dims);
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder("(");
    for (int i = 0; i < dims.length; i++) {
      if (i > 0) {
        b.append(", ");
      }
      b.append(dims[i]);
    }
    if (dims.length == 1) {
      b.append(',');
    }
    return b.append(')').toString();
  }
}
