package io.mrt.ops.support;

import io.mrt.api.graph.Shape;
import io.mrt.api.hook.OpContext;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** ND4J helpers shared by the built-in forward hooks: float32 data in and out, c order. */
public final class Tensors {
  private Tensors() {}

  /** The array as float32 (the same array when it already is). */
  public static INDArray f32(INDArray x) {
    return x.dataType() == DataType.FLOAT ? x : x.castTo(DataType.FLOAT);
  }

  /** A c-order copy of the values as floats. */
  public static float[] floats(INDArray x) {
    INDArray c = f32(x);
    if (c.length() == 0) {
      return new float[0];
    }
    if (!contiguous(c)) {
      c = c.dup('c');
    }
    float[] out = new float[Math.toIntExact(c.length())];
    // one bulk copy from the native buffer (DataBuffer.asFloat() reads element by element)
    floatView(c).get(out);
    return out;
  }

  /**
   * The array as float32 owning its whole buffer in c order: the same array when it already is one,
   * else a c-order copy, which the caller closes when done with it.
   */
  public static INDArray cContiguous(INDArray x) {
    INDArray c = f32(x);
    return c.length() == 0 || contiguous(c) ? c : c.dup('c');
  }

  /**
   * The c-order values of a {@link #cContiguous} array read in place from its native buffer (no
   * copy to the heap): a read-only view, valid while the array is open.
   */
  public static FloatBuffer values(INDArray c) {
    if (c.length() == 0) {
      return FloatBuffer.allocate(0);
    }
    if (c.dataType() != DataType.FLOAT || !contiguous(c)) {
      throw new IllegalArgumentException("not a float32 array owning its buffer in c order: " + c.shapeInfoToString());
    }
    return floatView(c).asReadOnlyBuffer();
  }

  /** A new float32 array with the given c-order values. */
  public static INDArray of(float[] values, long... shape) {
    if (values.length != size(shape)) {
      throw new IllegalArgumentException(values.length + " values do not fill shape " + Shape.of(shape));
    }
    if (values.length == 0 || shape.length == 0) {
      return Nd4j.create(values, shape, DataType.FLOAT); // empty arrays and scalars
    }
    INDArray a = Nd4j.createUninitialized(DataType.FLOAT, shape, 'c');
    floatView(a).put(values); // one bulk copy into the native buffer
    return a;
  }

  /** Whether the array owns its whole buffer in c order, so that the buffer is its values. */
  private static boolean contiguous(INDArray c) {
    // a permuted array (an NCHW-shaped view of an NHWC buffer) is neither a view nor 'f' ordered
    // for ND4J: its strides tell
    return !c.isView() && c.ordering() == 'c' && c.data().offset() == 0 && c.data().length() == c.length()
        && rowMajor(c);
  }

  /** True when the strides are row-major (dimensions of size 1 aside). */
  public static boolean rowMajor(INDArray a) {
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

  /**
   * True when the array is an NCHW-shaped view of a whole NHWC buffer ({@code nhwc.permute(0, 3, 1, 2)}):
   * rank 4, strides {@code [H·W·C, 1, W·C, C]}, no offset, every value of the buffer.
   */
  public static boolean nhwcView(INDArray a) {
    if (a.rank() != 4 || a.offset() != 0 || a.isView() || a.data().length() != a.length()) {
      return false;
    }
    long c = a.size(1);
    long h = a.size(2);
    long w = a.size(3);
    long[] st = a.stride();
    return st[1] == 1 && st[3] == c && st[2] == w * c && st[0] == h * w * c;
  }

  /**
   * True when the array covers its whole buffer in some order (row-major or a permutation of it),
   * so that an element-wise op may run over the buffer as is.
   */
  public static boolean dense(INDArray a) {
    return !a.isView() && a.offset() == 0 && a.data().offset() == 0 && a.data().length() == a.length()
        && (rowMajor(a) || nhwcView(a));
  }

  /** A one-dimensional row-major array over the whole buffer of a {@link #dense} array (its values in buffer order). */
  public static INDArray flat(INDArray x) {
    return Nd4j.create(x.data(), new long[] {x.length()}, new long[] {1}, 0, 'c');
  }

  /** The values of a {@link #dense} float32 array in buffer order (not c order when it is not row-major). */
  public static float[] bufferFloats(INDArray x) {
    float[] out = new float[Math.toIntExact(x.length())];
    floatView(x).get(out);
    return out;
  }

  /** Writes {@code values}, in buffer order, into a {@link #dense} float32 array. */
  public static void putBufferFloats(INDArray x, float[] values) {
    floatView(x).put(values);
  }

  /** The native buffer of a contiguous float32 array as a float view, positioned at its first value. */
  private static FloatBuffer floatView(INDArray c) {
    return c.data().asNio().order(ByteOrder.nativeOrder()).asFloatBuffer();
  }

  /** The shape of an array as an IR shape. */
  public static Shape shape(INDArray x) {
    return Shape.of(x.shape());
  }

  /** A new (never aliased) c-order float32 copy with another shape of the same size. */
  public static INDArray reshapeCopy(INDArray x, long... shape) {
    return f32(x).dup('c').reshape('c', shape).dup('c');
  }

  /** Normalizes a possibly negative axis against a rank, or fails naming the attribute. */
  public static int axis(OpContext ctx, String key, int axis, int rank) {
    int a = axis < 0 ? axis + rank : axis;
    if (a < 0 || a >= rank) {
      throw ctx.error("attribute '" + key + "' = " + axis + " is out of range for rank " + rank);
    }
    return a;
  }

  /** The row-major strides of a shape. */
  public static long[] strides(long[] shape) {
    long[] s = new long[shape.length];
    long acc = 1;
    for (int i = shape.length - 1; i >= 0; i--) {
      s[i] = acc;
      acc *= shape[i];
    }
    return s;
  }

  /** Product of the dimensions. */
  public static long size(long[] shape) {
    long s = 1;
    for (long d : shape) {
      s = Math.multiplyExact(s, d);
    }
    return s;
  }

  /**
   * A general strided slice: output element {@code o} (multi-index) reads input element
   * {@code begin[i] + o[i] * step[i]} on every axis.
   */
  public static INDArray stridedSlice(INDArray x, long[] begin, long[] step, long[] outShape) {
    float[] in = floats(x);
    long[] inStrides = strides(x.shape());
    int rank = outShape.length;
    int n = Math.toIntExact(size(outShape));
    float[] out = new float[n];
    long[] idx = new long[rank];
    for (int o = 0; o < n; o++) {
      long src = 0;
      for (int i = 0; i < rank; i++) {
        src += (begin[i] + idx[i] * step[i]) * inStrides[i];
      }
      out[o] = in[(int) src];
      for (int i = rank - 1; i >= 0; i--) {
        if (++idx[i] < outShape[i]) {
          break;
        }
        idx[i] = 0;
      }
    }
    return of(out, outShape);
  }
}
