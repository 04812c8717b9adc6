package io.mrt.runtime.io.mxnet;

import io.mrt.runtime.MrtException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Reads MXNet's NDArray list file ({@code nd.save}, {@code .params}): list magic {@code 0x112},
 * the arrays, then the names. Each array record may be V1 ({@code 0xF993FAC8}), V2
 * ({@code 0xF993FAC9}), V3 ({@code 0xF993FACA}) or legacy (no magic: u32 ndim and u32 dims);
 * dtype codes 0 to 12 are read (float16 and bfloat16 become float32). Sparse storage is refused.
 * Names are kept as stored ({@code arg:}/{@code aux:} prefixes included).
 *
 * <p>Every count, rank, dimension and byte size read from the file is checked against the bytes
 * that remain before anything is allocated; every error names the file and the byte offset.
 */
public final class NDArrayListReader {
  /** {@code kMXAPINDArrayListMagic}. */
  public static final long LIST_MAGIC = 0x112;
  /** {@code NDARRAY_V1_MAGIC}. */
  public static final int V1_MAGIC = 0xF993FAC8;
  /** {@code NDARRAY_V2_MAGIC}. */
  public static final int V2_MAGIC = 0xF993FAC9;
  /** {@code NDARRAY_V3_MAGIC}. */
  public static final int V3_MAGIC = 0xF993FACA;
  /** The largest rank accepted (MXNet's own limit is 32). */
  public static final int MAX_NDIM = 32;
  /** The largest array read, in elements (a Java array limit). */
  public static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;
  /** The smallest possible array record: a legacy record of a none array (u32 ndim = 0). */
  private static final int MIN_RECORD = 4;
  private static final int CHUNK = 1 << 20;

  private NDArrayListReader() {}

  /** Reads the file. */
  public static NDArrayList read(Path path) {
    try (BoundedInput in = new BoundedInput(path)) {
      return read(in);
    } catch (NoSuchFileException e) {
      throw new MrtException(path + ": no such file");
    } catch (IOException e) {
      throw new MrtException(path + ": cannot read: " + e.getMessage(), e);
    }
  }

  private static NDArrayList read(BoundedInput in) throws IOException {
    long magicAt = in.offset();
    if (in.remaining() < 8) {
      throw in.error("truncated file: an NDArray list starts with an 8-byte magic 0x112, the file has "
          + in.size() + " bytes");
    }
    long magic = in.i64("list magic");
    if (magic != LIST_MAGIC) {
      throw in.errorAt(magicAt, "wrong magic: expected 0x112 (an MXNet NDArray list / .params file), found 0x"
          + Long.toHexString(magic));
    }
    in.i64("reserved field");
    long countAt = in.offset();
    long count = in.u64("array count");
    if (count > in.remaining() / MIN_RECORD) {
      throw in.errorAt(countAt, "array count " + count + " cannot fit in the " + in.remaining()
          + " remaining bytes");
    }
    List<INDArray> arrays = new ArrayList<>((int) count);
    for (int i = 0; i < count; i++) {
      arrays.add(readArray(in, i));
    }
    long namesAt = in.offset();
    if (in.remaining() < 8) {
      throw in.error("truncated file: expected the u64 name count after " + count + " arrays, only "
          + in.remaining() + " bytes remain");
    }
    long nNames = in.u64("name count");
    if (nNames != 0 && nNames != count) {
      throw in.errorAt(namesAt, "name count " + nNames + " must be 0 or equal to the array count " + count);
    }
    List<String> names = new ArrayList<>();
    for (int i = 0; i < nNames; i++) {
      long lenAt = in.offset();
      long len = in.u64("length of name " + i);
      if (len > in.remaining()) {
        throw in.errorAt(lenAt, "truncated file: name " + i + " has length " + len + ", only " + in.remaining()
            + " bytes remain");
      }
      ByteBuffer b = ByteBuffer.allocate((int) len);
      in.readFully(b, "name " + i);
      names.add(new String(b.array(), StandardCharsets.UTF_8));
    }
    if (in.remaining() != 0) {
      throw in.error(in.remaining() + " unexpected bytes after the last name (expected the end of the file)");
    }
    return new NDArrayList(names, arrays);
  }

  private static INDArray readArray(BoundedInput in, int index) throws IOException {
    long start = in.offset();
    String what = "array " + index;
    long first = in.u32(what + " header");
    int version;
    long[] shape;
    if (first == Integer.toUnsignedLong(V1_MAGIC)) {
      version = 1;
    } else if (first == Integer.toUnsignedLong(V2_MAGIC)) {
      version = 2;
    } else if (first == Integer.toUnsignedLong(V3_MAGIC)) {
      version = 3;
    } else {
      version = 0;
    }
    if (version == 0) {
      // legacy: the u32 just read is ndim, followed by u32 dims
      if (first > MAX_NDIM) {
        throw in.errorAt(start, what + ": not an NDArray record: expected the magic 0xF993FAC9 (or V1/V3, or a "
            + "legacy rank <= " + MAX_NDIM + "), found 0x" + Long.toHexString(first));
      }
      int ndim = (int) first;
      in.require(4L * ndim, what + " shape");
      shape = new long[ndim];
      for (int i = 0; i < ndim; i++) {
        shape[i] = in.u32(what + " dim");
      }
      if (ndim == 0) {
        return Nd4j.empty(DataType.FLOAT);
      }
    } else {
      if (version >= 2) {
        long stypeAt = in.offset();
        int stype = in.i32(what + " storage type");
        if (stype != 0) {
          String kind = switch (stype) {
            case 1 -> "row_sparse (1)";
            case 2 -> "csr (2)";
            case -1 -> "undefined (-1)";
            default -> "unknown (" + stype + ")";
          };
          throw in.errorAt(stypeAt, what + ": storage type " + kind + " is not supported: only dense arrays "
              + "(storage type 0) can be read; convert the array with tostype('default') before saving");
        }
      }
      long ndimAt = in.offset();
      int ndim = in.i32(what + " rank");
      if (version == 3 && ndim == -1) {
        return Nd4j.empty(DataType.FLOAT);
      }
      if (ndim < 0 || ndim > MAX_NDIM) {
        throw in.errorAt(ndimAt, what + ": rank must be in [0, " + MAX_NDIM + "], found " + ndim);
      }
      in.require(8L * ndim, what + " shape");
      shape = new long[ndim];
      for (int i = 0; i < ndim; i++) {
        long dimAt = in.offset();
        shape[i] = in.i64(what + " dim");
        if (shape[i] < 0) {
          throw in.errorAt(dimAt, what + ": dimension " + i + " is " + shape[i] + " (unknown or negative sizes "
              + "cannot be loaded)");
        }
      }
      if (ndim == 0 && version < 3) {
        return Nd4j.empty(DataType.FLOAT);
      }
    }
    in.i32(what + " device type");
    in.i32(what + " device id");
    long typeAt = in.offset();
    int code = in.i32(what + " dtype");
    DType t = DType.ofCode(code);
    if (t == null) {
      throw in.errorAt(typeAt, what + ": unknown dtype code " + code + " (expected 0 to 12)");
    }
    long count = 1;
    for (long d : shape) {
      if (d != 0 && count > Long.MAX_VALUE / d) {
        throw in.errorAt(start, what + ": shape " + Arrays.toString(shape) + " overflows");
      }
      count *= d;
    }
    if (count > in.remaining() / t.bytes) {
      throw in.error("truncated file: " + what + " of shape " + shapeText(shape) + " and dtype " + t.name().toLowerCase()
          + " needs " + (count > Long.MAX_VALUE / t.bytes ? "more than " + Long.MAX_VALUE : count * t.bytes)
          + " bytes of data, only " + in.remaining() + " remain");
    }
    if (count > MAX_ELEMENTS) {
      throw in.error(what + ": " + count + " elements is more than the " + MAX_ELEMENTS + " supported");
    }
    return readData(in, t, shape, (int) count, what);
  }

  static String shapeText(long[] shape) {
    return io.mrt.api.graph.Shape.of(shape).toString();
  }

  private static INDArray readData(BoundedInput in, DType t, long[] shape, int n, String what) throws IOException {
    ByteBuffer chunk = ByteBuffer.allocate((int) Math.min((long) n * t.bytes, CHUNK)).order(ByteOrder.LITTLE_ENDIAN);
    int per = chunk.capacity() / t.bytes;
    switch (t) {
      case FLOAT32, FLOAT16, BFLOAT16 -> {
        float[] v = new float[n];
        for (int off = 0; off < n; off += per) {
          int k = Math.min(per, n - off);
          fill(in, chunk, k * t.bytes, what);
          for (int i = 0; i < k; i++) {
            v[off + i] = switch (t) {
              case FLOAT32 -> chunk.getFloat();
              case FLOAT16 -> halfToFloat(chunk.getShort());
              default -> Float.intBitsToFloat((chunk.getShort() & 0xFFFF) << 16);
            };
          }
        }
        return Nd4j.create(v, shape, DataType.FLOAT);
      }
      case FLOAT64 -> {
        double[] v = new double[n];
        for (int off = 0; off < n; off += per) {
          int k = Math.min(per, n - off);
          fill(in, chunk, k * t.bytes, what);
          chunk.asDoubleBuffer().get(v, off, k);
        }
        return Nd4j.create(v, shape, DataType.DOUBLE);
      }
      case UINT8, INT8, BOOL -> {
        byte[] v = new byte[n];
        for (int off = 0; off < n; off += per) {
          int k = Math.min(per, n - off);
          fill(in, chunk, k, what);
          chunk.get(v, off, k);
        }
        if (t == DType.BOOL) {
          boolean[] b = new boolean[n];
          for (int i = 0; i < n; i++) {
            b[i] = v[i] != 0;
          }
          return Nd4j.create(b, shape, DataType.BOOL);
        }
        return Nd4j.create(v, shape, t.nd4j);
      }
      case INT16, UINT16 -> {
        short[] v = new short[n];
        for (int off = 0; off < n; off += per) {
          int k = Math.min(per, n - off);
          fill(in, chunk, k * 2, what);
          chunk.asShortBuffer().get(v, off, k);
        }
        return Nd4j.create(v, shape, t.nd4j);
      }
      case INT32, UINT32 -> {
        int[] v = new int[n];
        for (int off = 0; off < n; off += per) {
          int k = Math.min(per, n - off);
          fill(in, chunk, k * 4, what);
          chunk.asIntBuffer().get(v, off, k);
        }
        return Nd4j.create(v, shape, t.nd4j);
      }
      default -> {
        long[] v = new long[n];
        for (int off = 0; off < n; off += per) {
          int k = Math.min(per, n - off);
          fill(in, chunk, k * 8, what);
          chunk.asLongBuffer().get(v, off, k);
        }
        return Nd4j.create(v, shape, t.nd4j);
      }
    }
  }

  private static void fill(BoundedInput in, ByteBuffer chunk, int bytes, String what) throws IOException {
    chunk.clear().limit(bytes);
    in.readFully(chunk, what + " data");
    chunk.flip();
  }

  /** IEEE 754 half precision to float. */
  static float halfToFloat(short h) {
    int bits = h & 0xFFFF;
    int sign = (bits & 0x8000) << 16;
    int exp = (bits >>> 10) & 0x1F;
    int mant = bits & 0x3FF;
    if (exp == 0x1F) {
      return Float.intBitsToFloat(sign | 0x7F800000 | (mant << 13));
    }
    if (exp == 0) {
      if (mant == 0) {
        return Float.intBitsToFloat(sign);
      }
      float v = mant / 1024f * (1f / 16384f); // subnormal: mant * 2^-24
      return sign != 0 ? -v : v;
    }
    return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
  }
}
