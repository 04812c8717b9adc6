package io.mrt.runtime.io.cvm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mrt.runtime.MrtException;
import io.mrt.runtime.testutil.SharedDir;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CvmParamsTest {
  @Test
  void writesTheNdArrayListLayoutByteForByte() {
    CvmParams p = CvmParams.of(Map.of("w", CvmTensor.ofInt8(new long[] {2}, new int[] {1, -1})));
    String expected = ""
        + "b79c04054f8de5f7" + "0000000000000000" // list magic, reserved
        + "0100000000000000" + "0100000000000000" + "77" // one name: length 1, "w"
        + "0100000000000000" // one array
        + "3fa1b496f0405edd" + "0000000000000000" // array magic, reserved
        + "01000000" + "00000000" + "01000000" // device CPU, id 0, ndim 1
        + "00" + "08" + "0100" // int, 8 bits, 1 lane
        + "0200000000000000" + "0200000000000000" + "01ff"; // shape [2], 2 data bytes, 1 and -1
    assertEquals(expected, HexFormat.of().formatHex(CvmParamsWriter.toBytes(p)));
  }

  @Test
  void roundTripsInt8AndInt32Tensors() {
    Map<String, CvmTensor> m = new LinkedHashMap<>();
    m.put("conv_weight", CvmTensor.forPrecision(new long[] {2, 1, 1, 2}, new int[] {127, -127, 0, 5}, 8));
    m.put("conv_bias", CvmTensor.forPrecision(new long[] {2}, new int[] {100000, -70000}, 18));
    CvmParams back = CvmParamsReader.parse(CvmParamsWriter.toBytes(CvmParams.of(m)), "p");
    assertEquals(2, back.size());
    CvmTensor w = back.asMap().get("conv_weight");
    assertEquals("int8", w.dtypeName());
    assertArrayEquals(new long[] {2, 1, 1, 2}, w.shape());
    assertArrayEquals(new int[] {127, -127, 0, 5}, w.toIntArray());
    CvmTensor b = back.asMap().get("conv_bias");
    assertEquals("int32", b.dtypeName());
    assertArrayEquals(new int[] {100000, -70000}, b.toIntArray());
  }

  @Test
  void readsTheConformanceParams() {
    CvmParams p = CvmParamsReader.read(SharedDir.get().resolve("cvm-conformance/dense-00/params"));
    assertEquals(2, p.size());
    assertEquals("dense_weight", p.list().get(0).name());
    assertArrayEquals(new long[] {14, 64}, p.list().get(0).tensor().shape());
    assertEquals("int8", p.list().get(0).tensor().dtypeName());
    assertEquals("dense_bias", p.list().get(1).name());
  }

  private static ByteBuffer header(int capacity, long names) {
    ByteBuffer b = ByteBuffer.allocate(capacity).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(CvmParamsReader.LIST_MAGIC).putLong(0).putLong(names);
    return b;
  }

  @Test
  void boundsTheNameCountByTheRemainingBytes() {
    byte[] f = header(32, 1L << 60).array();
    MrtException e = assertThrows(MrtException.class, () -> CvmParamsReader.parse(f, "params"));
    assertEquals("params: at byte offset 16: expected a name count of at most 1 (8 bytes per name length), found "
        + "1152921504606846976", e.getMessage());
  }

  @Test
  void boundsANameLengthByTheRemainingBytes() {
    ByteBuffer b = header(40, 1);
    b.putLong(1000);
    MrtException e = assertThrows(MrtException.class, () -> CvmParamsReader.parse(b.array(), "params"));
    assertEquals("params: at byte offset 24: expected a length of name 0 of at most 8 bytes, found 1000",
        e.getMessage());
  }

  private static byte[] oneTensor(int ndim, long[] dims, long dataBytes, int dataLen) {
    ByteBuffer b = header(41 + 32 + 8 * dims.length + 8 + dataLen, 1);
    b.putLong(1).put((byte) 'w').putLong(1);
    b.putLong(CvmParamsReader.TENSOR_MAGIC).putLong(0).putInt(1).putInt(0).putInt(ndim);
    b.put((byte) 0).put((byte) 32).putShort((short) 1);
    for (long d : dims) {
      b.putLong(d);
    }
    b.putLong(dataBytes);
    return b.array();
  }

  @Test
  void boundsNdimAndDataSize() {
    MrtException nd = assertThrows(MrtException.class,
        () -> CvmParamsReader.parse(oneTensor(1 << 20, new long[0], 0, 0), "params"));
    assertEquals("params: at byte offset 65: expected ndim in [0, 32] of array 'w', found 1048576", nd.getMessage());
    MrtException size = assertThrows(MrtException.class,
        () -> CvmParamsReader.parse(oneTensor(2, new long[] {1L << 40, 1L << 40}, 16, 0), "params"));
    assertTrue(size.getMessage().contains("expected data_byte_size = prod(shape)"), size.getMessage());
    MrtException trunc = assertThrows(MrtException.class,
        () -> CvmParamsReader.parse(oneTensor(1, new long[] {1000}, 4000, 8), "params"));
    assertEquals("params: at byte offset 81: expected data_byte_size of at most the 8 remaining bytes of array 'w', "
        + "found 4000", trunc.getMessage());
  }

  @Test
  void keepsUnsupportedDtypesWithoutValuesForTheLoaderToRefuse() {
    ByteBuffer b = header(41 + 32 + 8 + 8 + 4, 1);
    b.putLong(1).put((byte) 'w').putLong(1);
    b.putLong(CvmParamsReader.TENSOR_MAGIC).putLong(0).putInt(1).putInt(0).putInt(1);
    b.put((byte) 2).put((byte) 32).putShort((short) 1).putLong(1).putLong(4).putFloat(1.5f);
    CvmTensor t = CvmParamsReader.parse(b.array(), "p").list().get(0).tensor();
    assertEquals("float32", t.dtypeName());
    assertFalse(t.isSupportedInt());
  }

  @Test
  void refusesAWrongMagic() {
    byte[] f = header(24, 0).array();
    Arrays.fill(f, 0, 8, (byte) 0);
    MrtException e = assertThrows(MrtException.class, () -> CvmParamsReader.parse(f, "params"));
    assertEquals("params: at byte offset 0: expected the list magic 0xF7E58D4F05049CB7, found 0x0", e.getMessage());
  }
}
