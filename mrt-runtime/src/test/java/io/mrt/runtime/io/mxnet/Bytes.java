package io.mrt.runtime.io.mxnet;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Assembles little-endian test files byte by byte. */
final class Bytes {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  private Bytes put(int size, java.util.function.Consumer<ByteBuffer> w) {
    ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    w.accept(b);
    out.writeBytes(b.array());
    return this;
  }

  Bytes u8(int v) {
    out.write(v);
    return this;
  }

  Bytes i16(int v) {
    return put(2, b -> b.putShort((short) v));
  }

  Bytes i32(int v) {
    return put(4, b -> b.putInt(v));
  }

  Bytes i64(long v) {
    return put(8, b -> b.putLong(v));
  }

  Bytes f32(float... vs) {
    for (float v : vs) {
      put(4, b -> b.putFloat(v));
    }
    return this;
  }

  Bytes f64(double... vs) {
    for (double v : vs) {
      put(8, b -> b.putDouble(v));
    }
    return this;
  }

  Bytes name(String s) {
    byte[] n = s.getBytes(StandardCharsets.UTF_8);
    i64(n.length);
    out.writeBytes(n);
    return this;
  }

  /** List header: magic 0x112, reserved, count. */
  Bytes list(int count) {
    return i64(0x112).i64(0).i64(count);
  }

  /** A V2 dense record header up to (and including) the dtype. */
  Bytes v2(int dtype, long... shape) {
    i32(NDArrayListReader.V2_MAGIC).i32(0).i32(shape.length);
    for (long d : shape) {
      i64(d);
    }
    return i32(1).i32(0).i32(dtype);
  }

  byte[] bytes() {
    return out.toByteArray();
  }

  int size() {
    return out.size();
  }
}
