package io.mrt.runtime.io.cvm;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Writes a CVM {@code params} file: list magic, reserved, the names, then one tensor per name
 * (CPU context; int8 tensors as 1-byte values, int32 as 4-byte little-endian values). Only int8
 * and int32 tensors are written.
 */
public final class CvmParamsWriter {
  private CvmParamsWriter() {
  }

  /** The bytes of a params file. */
  public static byte[] toBytes(CvmParams params) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      write(out, params);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return out.toByteArray();
  }

  /** Writes a params file to a stream. */
  public static void write(OutputStream out, CvmParams params) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(CvmParamsReader.LIST_MAGIC).putLong(0).putLong(params.size());
    out.write(b.array());
    for (CvmParams.Param p : params.list()) {
      byte[] nb = p.name().getBytes(StandardCharsets.UTF_8);
      out.write(le64(nb.length));
      out.write(nb);
    }
    out.write(le64(params.size()));
    for (CvmParams.Param p : params.list()) {
      CvmTensor t = p.tensor();
      if (!t.isSupportedInt()) {
        throw new IllegalArgumentException("parameter " + p.name() + ": cannot write a " + t.dtypeName()
            + " tensor (int8 or int32 only)");
      }
      long[] shape = t.shape();
      ByteBuffer h = ByteBuffer.allocate(8 + 8 + 4 + 4 + 4 + 4 + 8 * shape.length + 8).order(ByteOrder.LITTLE_ENDIAN);
      h.putLong(CvmParamsReader.TENSOR_MAGIC).putLong(0);
      h.putInt(CvmTensor.KDL_CPU).putInt(0).putInt(shape.length);
      h.put((byte) CvmTensor.KDL_INT).put((byte) t.dtypeBits()).putShort((short) 1);
      for (long d : shape) {
        h.putLong(d);
      }
      int[] v = t.values();
      int elemBytes = t.dtypeBits() / 8;
      h.putLong((long) v.length * elemBytes);
      out.write(h.array());
      if (elemBytes == 1) {
        byte[] data = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
          data[i] = (byte) v[i];
        }
        out.write(data);
      } else {
        final int chunk = 1 << 14;
        ByteBuffer d = ByteBuffer.allocate(chunk * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int s = 0; s < v.length; s += chunk) {
          int e = Math.min(v.length, s + chunk);
          d.clear();
          d.asIntBuffer().put(v, s, e - s);
          out.write(d.array(), 0, (e - s) * 4);
        }
      }
    }
  }

  private static byte[] le64(long v) {
    return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array();
  }
}
