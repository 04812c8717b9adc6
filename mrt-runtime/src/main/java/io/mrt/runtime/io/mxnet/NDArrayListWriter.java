package io.mrt.runtime.io.mxnet;

import io.mrt.runtime.MrtException;
import io.mrt.runtime.io.AtomicFiles;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Writes MXNet's NDArray list file ({@code nd.save}): list magic {@code 0x112}, V2 dense records
 * on the CPU context with each array's own dtype, then the names. An empty ND4J array is written
 * as MXNet's none array; a rank-0 array as shape (1,) (MXNet 1.x has no scalars outside numpy
 * mode). The file is written to a temporary name and renamed.
 */
public final class NDArrayListWriter {
  private NDArrayListWriter() {}

  /** Writes {@code list} to {@code path}. */
  public static void write(NDArrayList list, Path path) {
    for (int i = 0; i < list.arrays().size(); i++) {
      INDArray a = list.arrays().get(i);
      if (!a.isEmpty() && DType.forWrite(a.dataType()) == null) {
        throw new MrtException(path + ": array " + (list.names().isEmpty() ? i : list.names().get(i))
            + " has dtype " + a.dataType() + ", which MXNet cannot store");
      }
    }
    AtomicFiles.write(path, out -> write(list, out));
  }

  private static void write(NDArrayList list, OutputStream out) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(NDArrayListReader.LIST_MAGIC).putLong(0).putLong(list.arrays().size());
    for (INDArray a : list.arrays()) {
      b = ensure(out, b, 64 + 8 * a.rank());
      b.putInt(NDArrayListReader.V2_MAGIC);
      b.putInt(0); // dense
      if (a.isEmpty()) {
        b.putInt(0); // ndim 0: a none array, the record ends here
        continue;
      }
      long[] shape = a.rank() == 0 ? new long[] {1} : a.shape();
      b.putInt(shape.length);
      for (long d : shape) {
        b.putLong(d);
      }
      DType t = DType.forWrite(a.dataType());
      b.putInt(1).putInt(0); // cpu(0)
      b.putInt(t.code);
      b = data(out, b, a, t);
    }
    b = ensure(out, b, 8);
    b.putLong(list.names().size());
    for (String name : list.names()) {
      byte[] n = name.getBytes(StandardCharsets.UTF_8);
      b = ensure(out, b, 8 + n.length);
      b.putLong(n.length);
      if (n.length > b.remaining()) {
        flush(out, b);
        out.write(n);
      } else {
        b.put(n);
      }
    }
    flush(out, b);
  }

  private static ByteBuffer ensure(OutputStream out, ByteBuffer b, int n) throws IOException {
    if (b.remaining() < n) {
      flush(out, b);
    }
    return b;
  }

  private static void flush(OutputStream out, ByteBuffer b) throws IOException {
    out.write(b.array(), 0, b.position());
    b.clear();
  }

  private static ByteBuffer data(OutputStream out, ByteBuffer b, INDArray a, DType t) throws IOException {
    INDArray flat = a.dup('c').reshape('c', new long[] {a.length()});
    long n = a.length();
    if (t == DType.FLOAT32 || t == DType.FLOAT64) {
      // bulk path for the common dtypes
      if (t == DType.FLOAT32) {
        for (float v : flat.toFloatVector()) {
          if (b.remaining() < 4) {
            flush(out, b);
          }
          b.putFloat(v);
        }
      } else {
        for (double v : flat.toDoubleVector()) {
          if (b.remaining() < 8) {
            flush(out, b);
          }
          b.putDouble(v);
        }
      }
      return b;
    }
    for (long i = 0; i < n; i++) {
      if (b.remaining() < 8) {
        flush(out, b);
      }
      switch (t) {
        case FLOAT32 -> b.putFloat(flat.getFloat(i));
        case FLOAT64 -> b.putDouble(flat.getDouble(i));
        case FLOAT16 -> b.putShort(floatToHalf(flat.getFloat(i)));
        case BFLOAT16 -> b.putShort((short) (Float.floatToRawIntBits(flat.getFloat(i)) >>> 16));
        case UINT8, INT8 -> b.put((byte) flat.getInt((int) i));
        case BOOL -> b.put((byte) (flat.getDouble(i) != 0 ? 1 : 0));
        case INT16, UINT16 -> b.putShort((short) flat.getInt((int) i));
        case INT32 -> b.putInt(flat.getInt((int) i));
        case UINT32 -> b.putInt((int) flat.getLong(i));
        default -> b.putLong(flat.getLong(i));
      }
    }
    return b;
  }

  /** Float to IEEE 754 half precision, rounding to nearest even. */
  static short floatToHalf(float f) {
    int bits = Float.floatToRawIntBits(f);
    int sign = (bits >>> 16) & 0x8000;
    int exp = ((bits >>> 23) & 0xFF) - 127 + 15;
    int mant = bits & 0x7FFFFF;
    if (((bits >>> 23) & 0xFF) == 0xFF) {
      return (short) (sign | 0x7C00 | (mant != 0 ? 0x200 : 0));
    }
    if (exp >= 0x1F) {
      return (short) (sign | 0x7C00);
    }
    if (exp <= 0) {
      if (exp < -10) {
        return (short) sign;
      }
      mant |= 0x800000;
      int shift = 14 - exp;
      int half = mant >> shift;
      int rem = mant & ((1 << shift) - 1);
      int mid = 1 << (shift - 1);
      if (rem > mid || (rem == mid && (half & 1) != 0)) {
        half++;
      }
      return (short) (sign | half);
    }
    int half = (exp << 10) | (mant >> 13);
    int rem = mant & 0x1FFF;
    if (rem > 0x1000 || (rem == 0x1000 && (half & 1) != 0)) {
      half++;
    }
    return (short) (sign | half);
  }

  /** Whether ND4J can hold arrays of this type in a file MXNet reads. */
  static boolean writable(DataType t) {
    return DType.forWrite(t) != null;
  }
}
