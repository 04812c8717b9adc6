package io.mrt.runtime.io.cvm;

import io.mrt.runtime.InputLimits;
import io.mrt.runtime.MrtException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a CVM {@code params} file (the NDArray-list format of CVM_FORMAT.md section 2: list magic,
 * reserved, the names, then the tensors; all little-endian). Every count and size read from the
 * file is checked against the bytes that remain before anything is allocated. Errors are
 * {@link MrtException}s that name the file, the byte offset, what was expected and what was found.
 * Tensors of dtypes other than int8/int32 are read (their bytes skipped) so that the executor can
 * refuse them at load with the parameter's name.
 */
public final class CvmParamsReader {
  /** {@code kCVMNDArrayListMagic}. */
  public static final long LIST_MAGIC = 0xF7E58D4F05049CB7L;
  /** {@code kCVMNDArrayMagic}. */
  public static final long TENSOR_MAGIC = 0xDD5E40F096B4A13FL;
  /** Largest params file accepted. */
  static final long MAX_FILE = (long) Integer.MAX_VALUE - 64;
  /** Largest ndim accepted in a tensor header. */
  static final int MAX_NDIM = 32;
  private static final Logger LOG = LoggerFactory.getLogger(CvmParamsReader.class);

  private final String source;
  private final ByteBuffer buf;

  private CvmParamsReader(byte[] bytes, String source) {
    this.source = source;
    this.buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
  }

  /** Reads a params file. */
  public static CvmParams read(Path file) {
    return parse(InputLimits.readAll(file, MAX_FILE, "params file"), file.toString());
  }

  /** Parses params bytes; {@code source} names them in error messages. */
  public static CvmParams parse(byte[] bytes, String source) {
    return new CvmParamsReader(bytes, source).params();
  }

  private CvmParams params() {
    long magic = u64("the list magic 0xF7E58D4F05049CB7");
    if (magic != LIST_MAGIC) {
      throw fail(0, "the list magic 0xF7E58D4F05049CB7", hex(magic));
    }
    u64("the reserved word");
    int nNamesAt = buf.position();
    long nNames = u64("the number of names");
    if (nNames < 0 || nNames > buf.remaining() / 8) {
      throw fail(nNamesAt, "a name count of at most " + buf.remaining() / 8 + " (8 bytes per name length)",
          Long.toUnsignedString(nNames));
    }
    List<String> names = new ArrayList<>((int) nNames);
    for (int i = 0; i < nNames; i++) {
      int at = buf.position();
      long len = u64("the length of name " + i);
      if (len < 0 || len > buf.remaining()) {
        throw fail(at, "a length of name " + i + " of at most " + buf.remaining() + " bytes",
            Long.toUnsignedString(len));
      }
      byte[] nb = new byte[(int) len];
      buf.get(nb);
      try {
        names.add(StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
            .decode(ByteBuffer.wrap(nb)).toString());
      } catch (CharacterCodingException e) {
        throw fail(at + 8, "UTF-8 text for name " + i, "invalid bytes");
      }
    }
    int nArraysAt = buf.position();
    long nArrays = u64("the number of arrays");
    if (nArrays != nNames) {
      throw fail(nArraysAt, "the number of arrays equal to the number of names (" + nNames + ")",
          Long.toUnsignedString(nArrays));
    }
    List<CvmParams.Param> out = new ArrayList<>(names.size());
    for (String name : names) {
      out.add(new CvmParams.Param(name, tensor(name)));
    }
    if (buf.hasRemaining()) {
      LOG.warn("{}: {} trailing bytes after the last array ignored (as the reference runtime does)", source,
          buf.remaining());
    }
    return new CvmParams(out);
  }

  private CvmTensor tensor(String name) {
    String what = " of array '" + name + "'";
    int start = buf.position();
    long magic = u64("the array magic" + what);
    if (magic != TENSOR_MAGIC) {
      throw fail(start, "the array magic 0xDD5E40F096B4A13F" + what, hex(magic));
    }
    u64("the reserved word" + what);
    int deviceType = i32("the device type" + what);
    int deviceId = i32("the device id" + what);
    int ndimAt = buf.position();
    int ndim = i32("ndim" + what);
    if (ndim < 0 || ndim > MAX_NDIM) {
      throw fail(ndimAt, "ndim in [0, " + MAX_NDIM + "]" + what, ndim);
    }
    need(4, "the dtype" + what);
    int code = buf.get() & 0xff;
    int bits = buf.get() & 0xff;
    int lanes = buf.getShort() & 0xffff;
    need(8L * ndim, "the " + ndim + " dimensions" + what);
    long[] shape = new long[ndim];
    long elems = 1;
    boolean overflow = false;
    for (int i = 0; i < ndim; i++) {
      int at = buf.position();
      shape[i] = buf.getLong();
      if (shape[i] < 0) {
        throw fail(at, "a non-negative dimension " + i + what, shape[i]);
      }
      if (shape[i] != 0 && elems > Long.MAX_VALUE / shape[i]) {
        overflow = true;
      } else {
        elems *= shape[i];
      }
    }
    int sizeAt = buf.position();
    long dataBytes = u64("data_byte_size" + what);
    long elemBytes = ((long) bits * lanes + 7) / 8;
    if (overflow || (elemBytes != 0 && elems > Long.MAX_VALUE / elemBytes) || dataBytes != elems * elemBytes) {
      throw fail(sizeAt, "data_byte_size = " + (overflow ? "prod(shape)" : elems) + " elements x " + elemBytes
          + " bytes for shape " + Arrays.toString(shape) + what, Long.toUnsignedString(dataBytes));
    }
    if (dataBytes < 0 || dataBytes > buf.remaining()) {
      throw fail(sizeAt, "data_byte_size of at most the " + buf.remaining() + " remaining bytes" + what,
          Long.toUnsignedString(dataBytes));
    }
    int n = (int) elems;
    int[] values = null;
    if (code == CvmTensor.KDL_INT && lanes == 1 && bits == 8) {
      values = new int[n];
      for (int i = 0; i < n; i++) {
        values[i] = buf.get();
      }
    } else if (code == CvmTensor.KDL_INT && lanes == 1 && bits == 32) {
      values = new int[n];
      buf.asIntBuffer().get(values);
      buf.position(buf.position() + 4 * n);
    } else {
      buf.position(buf.position() + (int) dataBytes);
    }
    return new CvmTensor(deviceType, deviceId, code, bits, lanes, shape, values);
  }

  private void need(long n, String what) {
    if (buf.remaining() < n) {
      throw fail(buf.position(), n + " bytes for " + what, buf.remaining() + " bytes left in the file");
    }
  }

  private long u64(String what) {
    need(8, what);
    return buf.getLong();
  }

  private int i32(String what) {
    need(4, what);
    return buf.getInt();
  }

  private static String hex(long v) {
    return "0x" + Long.toHexString(v).toUpperCase(java.util.Locale.ROOT);
  }

  private MrtException fail(long offset, String expected, Object found) {
    return new MrtException(source + ": at byte offset " + offset + ": expected " + expected + ", found " + found);
  }
}
