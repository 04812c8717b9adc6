package io.mrt.runtime.io.npy;

import io.mrt.runtime.InputLimits;
import io.mrt.runtime.MrtException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads {@code .npy} files (format versions 1.0, 2.0 and 3.0): little-endian int8, uint8, int32,
 * int64 (values must fit int32) and float32, C order. Every size in the file is bounded before
 * anything is allocated: the header length against the file size, the element count against the
 * bytes that follow the header. Errors are {@link MrtException}s naming the file, the byte offset,
 * what was expected and what was found.
 */
public final class NpyReader {
  /** The largest header accepted (numpy itself writes a few hundred bytes). */
  static final int MAX_HEADER = 1 << 20;
  /** The largest file accepted. */
  static final long MAX_FILE = (long) Integer.MAX_VALUE - 64;

  private NpyReader() {
  }

  /** Reads a {@code .npy} file. */
  public static NpyArray read(Path file) {
    byte[] bytes = InputLimits.readAll(file, MAX_FILE, ".npy file");
    return parse(bytes, file.toString());
  }

  /** Parses the bytes of a {@code .npy} file; {@code source} names it in error messages. */
  public static NpyArray parse(byte[] b, String source) {
    if (b.length < 10) {
      throw err(source, 0, "a .npy header of at least 10 bytes", b.length + " bytes in the whole file");
    }
    byte[] magic = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    for (int i = 0; i < magic.length; i++) {
      if (b[i] != magic[i]) {
        throw err(source, i, "the magic string \\x93NUMPY", "byte 0x" + Integer.toHexString(b[i] & 0xff));
      }
    }
    int major = b[6] & 0xff;
    int minor = b[7] & 0xff;
    ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    long headerLen;
    int headerStart;
    if (major == 1) {
      headerLen = buf.getShort(8) & 0xffff;
      headerStart = 10;
    } else if (major == 2 || major == 3) {
      if (b.length < 12) {
        throw err(source, 8, "a 4-byte header length", (b.length - 8) + " bytes");
      }
      headerLen = buf.getInt(8) & 0xffffffffL;
      headerStart = 12;
    } else {
      throw err(source, 6, "format version 1.0, 2.0 or 3.0", "version " + major + "." + minor);
    }
    if (headerLen > MAX_HEADER || headerStart + headerLen > b.length) {
      throw err(source, 8, "a header length of at most " + Math.min(MAX_HEADER, b.length - headerStart) + " bytes",
          headerLen);
    }
    String header = new String(b, headerStart, (int) headerLen,
        major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
    Map<String, Object> dict = new HeaderParser(header, source, headerStart).parseDict();
    Object descrObj = dict.get("descr");
    Object fortranObj = dict.get("fortran_order");
    Object shapeObj = dict.get("shape");
    if (!(descrObj instanceof String)) {
      throw err(source, headerStart, "a 'descr' string in the header", descrObj == null ? "no 'descr'" : descrObj);
    }
    NpyDtype dtype = NpyDtype.fromDescr((String) descrObj);
    if (dtype == null) {
      throw err(source, headerStart, "dtype int8, uint8, int32, int64 or float32 (little-endian)", "'" + descrObj + "'");
    }
    if (!Boolean.FALSE.equals(fortranObj)) {
      throw err(source, headerStart, "'fortran_order': False (C order)",
          fortranObj == null ? "no 'fortran_order'" : "'fortran_order': " + fortranObj);
    }
    if (!(shapeObj instanceof List)) {
      throw err(source, headerStart, "a 'shape' tuple in the header", shapeObj == null ? "no 'shape'" : shapeObj);
    }
    @SuppressWarnings("unchecked")
    List<Long> dims = (List<Long>) shapeObj;
    int dataStart = headerStart + (int) headerLen;
    long remaining = b.length - dataStart;
    long[] shape = new long[dims.size()];
    long count = 1;
    for (int i = 0; i < shape.length; i++) {
      long d = dims.get(i);
      if (d < 0) {
        throw err(source, headerStart, "non-negative dimensions", "dimension " + i + " = " + d);
      }
      shape[i] = d;
      if (d != 0 && count > remaining / d) {
        throw err(source, dataStart, "at most " + remaining + " data bytes for shape " + dims, "more elements");
      }
      count *= d;
    }
    long dataBytes = count * dtype.itemSize();
    if (dataBytes != remaining) {
      throw err(source, dataStart, dataBytes + " data bytes for shape " + dims + " of " + descrObj,
          remaining + " bytes after the header");
    }
    int n = (int) count;
    buf.position(dataStart);
    if (dtype == NpyDtype.FLOAT32) {
      float[] f = new float[n];
      buf.asFloatBuffer().get(f);
      return NpyArray.wrap(dtype, shape, null, f);
    }
    int[] v = new int[n];
    switch (dtype) {
      case INT8:
        for (int i = 0; i < n; i++) {
          v[i] = b[dataStart + i];
        }
        break;
      case UINT8:
        for (int i = 0; i < n; i++) {
          v[i] = b[dataStart + i] & 0xff;
        }
        break;
      case INT32:
        buf.asIntBuffer().get(v);
        break;
      case INT64:
        for (int i = 0; i < n; i++) {
          long x = buf.getLong(dataStart + 8 * i);
          if (x < Integer.MIN_VALUE || x > Integer.MAX_VALUE) {
            throw err(source, dataStart + 8L * i, "an int64 value that fits int32", x);
          }
          v[i] = (int) x;
        }
        break;
      default:
        throw new IllegalStateException(dtype.toString());
    }
    return NpyArray.wrap(dtype, shape, v, null);
  }

  static MrtException err(String source, long offset, String expected, Object found) {
    return new MrtException(source + ": at byte offset " + offset + ": expected " + expected + ", found " + found);
  }

  /** A parser for the Python dict literal of a .npy header. */
  private static final class HeaderParser {
    private final String s;
    private final String source;
    private final int base;
    private int p;

    HeaderParser(String s, String source, int base) {
      this.s = s;
      this.source = source;
      this.base = base;
    }

    Map<String, Object> parseDict() {
      skip();
      expect('{');
      Map<String, Object> m = new LinkedHashMap<>();
      skip();
      while (peek() != '}') {
        Object k = value(1);
        if (!(k instanceof String)) {
          throw fail("a string key", k);
        }
        skip();
        expect(':');
        if (m.containsKey(k)) {
          throw fail("each key once", "'" + InputLimits.abbreviate(k) + "' again");
        }
        m.put((String) k, value(1));
        skip();
        if (peek() == ',') {
          p++;
          skip();
        } else if (peek() != '}') {
          throw fail("',' or '}'", peek());
        }
      }
      return m;
    }

    private Object value(int depth) {
      if (depth > InputLimits.MAX_DEPTH) {
        throw fail("at most " + InputLimits.MAX_DEPTH + " nested tuples or lists", "deeper nesting");
      }
      skip();
      char c = peek();
      if (c == '\'' || c == '"') {
        p++;
        int start = p;
        while (p < s.length() && s.charAt(p) != c) {
          p++;
        }
        if (p >= s.length()) {
          throw fail("a closing quote", "end of header");
        }
        return s.substring(start, p++);
      }
      if (c == '(' || c == '[') {
        char close = c == '(' ? ')' : ']';
        p++;
        List<Long> items = new ArrayList<>();
        skip();
        while (peek() != close) {
          Object v = value(depth + 1);
          if (!(v instanceof Long)) {
            throw fail("an integer dimension", v);
          }
          items.add((Long) v);
          skip();
          if (peek() == ',') {
            p++;
            skip();
          } else if (peek() != close) {
            throw fail("',' or '" + close + "'", peek());
          }
        }
        p++;
        return items;
      }
      if (s.startsWith("True", p)) {
        p += 4;
        return Boolean.TRUE;
      }
      if (s.startsWith("False", p)) {
        p += 5;
        return Boolean.FALSE;
      }
      int start = p;
      if (c == '-') {
        p++;
      }
      while (p < s.length() && Character.isDigit(s.charAt(p))) {
        p++;
      }
      if (p < s.length() && (s.charAt(p) == 'L')) {
        p++;
      }
      String num = s.substring(start, p).replace("L", "");
      if (num.isEmpty() || num.equals("-") || num.length() > 18) {
        throw fail("a value", c);
      }
      return Long.parseLong(num);
    }

    private void skip() {
      while (p < s.length() && Character.isWhitespace(s.charAt(p))) {
        p++;
      }
    }

    private char peek() {
      if (p >= s.length()) {
        throw fail("more header text", "end of header");
      }
      return s.charAt(p);
    }

    private void expect(char c) {
      if (peek() != c) {
        throw fail("'" + c + "'", "'" + peek() + "'");
      }
      p++;
    }

    private MrtException fail(String expected, Object found) {
      return err(source, base + p, expected + " in the header dict", found);
    }
  }
}
