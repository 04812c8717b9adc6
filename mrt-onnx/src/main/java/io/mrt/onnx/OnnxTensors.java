package io.mrt.onnx;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import io.mrt.onnx.proto.OnnxProto.TensorProto;
import io.mrt.onnx.proto.OnnxProto.TensorProto.DataType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * ONNX {@code TensorProto} values as ND4J arrays: floating types (float, double, float16,
 * bfloat16) become float32, integer and bool types become int64. Every element count is checked
 * against the bytes the tensor actually holds before anything is allocated; external data is read
 * only from a file beside the model, within that file's length.
 */
public final class OnnxTensors {
  /** The largest file this reader parses (protobuf's own limit is 2 GiB). */
  static final long MAX_FILE_BYTES = Integer.MAX_VALUE;

  private OnnxTensors() {}

  /** Reads a serialized {@code TensorProto} file (the ONNX test-data {@code .pb} format). */
  public static INDArray readFile(Path file) {
    TensorProto t;
    try (InputStream in = Files.newInputStream(file)) {
      long size = Files.size(file);
      if (size > MAX_FILE_BYTES) {
        throw new OnnxFormatException(file + ": " + size + " bytes, more than the " + MAX_FILE_BYTES
            + " a protobuf message can hold");
      }
      CodedInputStream cin = CodedInputStream.newInstance(in);
      cin.setSizeLimit((int) size);
      t = TensorProto.parseFrom(cin);
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new OnnxFormatException(file + ": not a valid ONNX TensorProto: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new OnnxFormatException(file + ": cannot read: " + e.getMessage(), e);
    }
    return toArray(t, file, "tensor " + (t.getName().isEmpty() ? "(unnamed)" : t.getName()), null);
  }

  /**
   * The value of {@code t}; {@code where} names the tensor in errors, {@code modelDir} is the folder
   * external data may be read from ({@code null}: external data is refused).
   */
  static INDArray toArray(TensorProto t, Path file, String where, Path modelDir) {
    long[] shape = new long[t.getDimsCount()];
    long count = 1;
    for (int i = 0; i < shape.length; i++) {
      long d = t.getDims(i);
      if (d < 0) {
        throw new OnnxFormatException(file + ": " + where + ": dimension " + i + " is " + d + ", expected >= 0");
      }
      shape[i] = d;
      try {
        count = Math.multiplyExact(count, d);
      } catch (ArithmeticException e) {
        throw new OnnxFormatException(file + ": " + where + ": the element count overflows a long");
      }
    }
    if (!t.hasDataType()) {
      throw new OnnxFormatException(file + ": " + where + ": no data_type");
    }
    DataType type = t.getDataType() == 0 ? null : DataType.forNumber(t.getDataType());
    if (type == null) {
      throw new OnnxFormatException(file + ": " + where + ": unknown data_type " + t.getDataType());
    }
    int width = width(type);
    if (width < 0) {
      throw new OnnxFormatException(file + ": " + where + ": data_type " + type
          + " is not supported (expected a float, integer or bool tensor)");
    }
    ByteString raw = null;
    if (t.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
      raw = external(t, file, where, modelDir, count * width);
    } else if (t.hasRawData()) {
      raw = t.getRawData();
    }
    if (count > Integer.MAX_VALUE - 8) {
      throw new OnnxFormatException(file + ": " + where + ": " + count + " elements, more than one array can hold");
    }
    int n = (int) count;
    if (raw != null) {
      if (raw.size() != count * width) {
        throw new OnnxFormatException(file + ": " + where + ": shape " + java.util.Arrays.toString(shape) + " of "
            + type + " needs " + (count * width) + " bytes of data, found " + raw.size());
      }
      ByteBuffer b = raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
      return fromRaw(type, b, n, shape);
    }
    return fromTyped(t, type, n, shape, file, where);
  }

  private static int width(DataType type) {
    return switch (type) {
      case FLOAT, INT32, UINT32 -> 4;
      case DOUBLE, INT64, UINT64 -> 8;
      case FLOAT16, BFLOAT16, INT16, UINT16 -> 2;
      case INT8, UINT8, BOOL -> 1;
      default -> -1;
    };
  }

  private static boolean isFloating(DataType type) {
    return type == DataType.FLOAT || type == DataType.DOUBLE || type == DataType.FLOAT16 || type == DataType.BFLOAT16;
  }

  private static INDArray fromRaw(DataType type, ByteBuffer b, int n, long[] shape) {
    if (isFloating(type)) {
      float[] v = new float[n];
      for (int i = 0; i < n; i++) {
        v[i] = switch (type) {
          case FLOAT -> b.getFloat();
          case DOUBLE -> (float) b.getDouble();
          case FLOAT16 -> half(b.getShort());
          default -> Float.intBitsToFloat((b.getShort() & 0xffff) << 16); // BFLOAT16
        };
      }
      return floats(v, shape);
    }
    long[] v = new long[n];
    for (int i = 0; i < n; i++) {
      v[i] = switch (type) {
        case INT64, UINT64 -> b.getLong();
        case INT32 -> b.getInt();
        case UINT32 -> b.getInt() & 0xffffffffL;
        case INT16 -> b.getShort();
        case UINT16 -> b.getShort() & 0xffff;
        case INT8 -> b.get();
        default -> b.get() & 0xff; // UINT8, BOOL
      };
    }
    return longs(v, shape);
  }

  private static INDArray fromTyped(TensorProto t, DataType type, int n, long[] shape, Path file, String where) {
    int found = switch (type) {
      case FLOAT -> t.getFloatDataCount();
      case DOUBLE -> t.getDoubleDataCount();
      case INT64 -> t.getInt64DataCount();
      case UINT32, UINT64 -> t.getUint64DataCount();
      default -> t.getInt32DataCount(); // int32, int16, int8, uint16, uint8, bool, float16, bfloat16
    };
    if (found != n) {
      throw new OnnxFormatException(file + ": " + where + ": shape " + java.util.Arrays.toString(shape) + " needs "
          + n + " values of " + type + ", found " + found);
    }
    if (isFloating(type)) {
      float[] v = new float[n];
      for (int i = 0; i < n; i++) {
        v[i] = switch (type) {
          case FLOAT -> t.getFloatData(i);
          case DOUBLE -> (float) t.getDoubleData(i);
          case FLOAT16 -> half((short) t.getInt32Data(i));
          default -> Float.intBitsToFloat((t.getInt32Data(i) & 0xffff) << 16);
        };
      }
      return floats(v, shape);
    }
    long[] v = new long[n];
    for (int i = 0; i < n; i++) {
      v[i] = switch (type) {
        case INT64 -> t.getInt64Data(i);
        case UINT32, UINT64 -> t.getUint64Data(i);
        default -> t.getInt32Data(i);
      };
    }
    return longs(v, shape);
  }

  private static ByteString external(TensorProto t, Path file, String where, Path modelDir, long bytes) {
    String location = null;
    long offset = 0;
    long length = -1;
    for (var kv : t.getExternalDataList()) {
      switch (kv.getKey()) {
        case "location" -> location = kv.getValue();
        case "offset" -> offset = parseLong(kv.getValue(), file, where, "offset");
        case "length" -> length = parseLong(kv.getValue(), file, where, "length");
        default -> {
          // checksum and unknown keys are ignored, as ONNX Runtime does
        }
      }
    }
    if (location == null || location.isEmpty()) {
      throw new OnnxFormatException(file + ": " + where + ": external data without a 'location'");
    }
    if (modelDir == null) {
      throw new OnnxFormatException(file + ": " + where + ": external data '" + location
          + "' is refused here (only tensors of a model file may keep their data beside it)");
    }
    Path rel = Path.of(location);
    Path target = modelDir.resolve(rel).normalize();
    if (rel.isAbsolute() || rel.getNameCount() != 1 || !target.getParent().equals(modelDir.normalize())) {
      throw new OnnxFormatException(file + ": " + where + ": external data '" + location
          + "' is refused: expected a file name beside the model in " + modelDir);
    }
    if (!Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)) {
      throw new OnnxFormatException(file + ": " + where + ": external data file " + target + " does not exist");
    }
    if (length < 0) {
      length = bytes;
    }
    if (length != bytes) {
      throw new OnnxFormatException(file + ": " + where + ": external data length " + length + ", expected "
          + bytes + " bytes for the tensor's shape and type");
    }
    try (FileChannel ch = FileChannel.open(target, StandardOpenOption.READ)) {
      long size = ch.size();
      if (offset < 0 || offset > size || length > size - offset) {
        throw new OnnxFormatException(file + ": " + where + ": external data " + target + " bytes [" + offset + ", "
            + (offset + length) + ") lie outside the file's " + size + " bytes");
      }
      if (length > Integer.MAX_VALUE - 8) {
        throw new OnnxFormatException(file + ": " + where + ": external data of " + length + " bytes is too large");
      }
      ByteBuffer buf = ByteBuffer.allocate((int) length);
      while (buf.hasRemaining()) {
        if (ch.read(buf, offset + buf.position()) < 0) {
          throw new OnnxFormatException(file + ": " + where + ": external data " + target + " ended early");
        }
      }
      buf.flip();
      return ByteString.copyFrom(buf);
    } catch (IOException e) {
      throw new OnnxFormatException(file + ": " + where + ": cannot read external data " + target + ": "
          + e.getMessage(), e);
    }
  }

  private static long parseLong(String v, Path file, String where, String key) {
    try {
      return Long.parseLong(v.trim());
    } catch (NumberFormatException e) {
      throw new OnnxFormatException(file + ": " + where + ": external data '" + key + "' must be an integer, found '"
          + v + "'");
    }
  }

  private static INDArray floats(float[] v, long[] shape) {
    if (shape.length == 0) {
      return Nd4j.scalar(v[0]);
    }
    if (v.length == 0) {
      return Nd4j.create(org.nd4j.linalg.api.buffer.DataType.FLOAT, shape);
    }
    return Nd4j.create(v, shape, 'c');
  }

  private static INDArray longs(long[] v, long[] shape) {
    if (shape.length == 0) {
      return Nd4j.scalar(v[0]);
    }
    if (v.length == 0) {
      return Nd4j.create(org.nd4j.linalg.api.buffer.DataType.LONG, shape);
    }
    return Nd4j.createFromArray(v).reshape('c', shape);
  }

  /** IEEE 754 half precision bits as a float. */
  static float half(short bits) {
    int h = bits & 0xffff;
    int sign = (h & 0x8000) << 16;
    int exp = (h >>> 10) & 0x1f;
    int mant = h & 0x3ff;
    if (exp == 0x1f) {
      return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
    }
    if (exp == 0) {
      float v = mant * 0x1p-24f;
      return sign == 0 ? v : -v;
    }
    return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
  }

  /** Whether an array holds integers (the int64 this reader makes of integer and bool tensors). */
  public static boolean isInteger(INDArray a) {
    return !a.dataType().isFPType();
  }
}
