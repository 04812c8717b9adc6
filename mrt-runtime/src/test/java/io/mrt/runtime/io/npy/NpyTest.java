package io.mrt.runtime.io.npy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mrt.runtime.MrtException;
import io.mrt.runtime.testutil.SharedDir;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyTest {
  /** np.save(b, np.array([[1, -2, 3], [4, 5, -6]], dtype=np.int32)) with numpy 2.4. */
  private static final String NUMPY_INT32_2X3 = "934e554d5059010076007b276465736372273a20273c6934272c2027666f7274"
      + "72616e5f6f72646572273a2046616c73652c20277368617065273a2028322c2033292c207d2020202020202020202020"
      + "20202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020200a"
      + "01000000feffffff030000000400000005000000faffffff";
  /** np.save(b, np.array([-128, 0, 127], dtype=np.int8)). */
  private static final String NUMPY_INT8_3 = "934e554d5059010076007b276465736372273a20277c6931272c2027666f7274"
      + "72616e5f6f72646572273a2046616c73652c20277368617065273a2028332c292c207d20202020202020202020202020"
      + "20202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020200a80007f";

  @Test
  void writesInt32ByteForByteAsNumpy() {
    NpyArray a = NpyArray.ofInt32(new long[] {2, 3}, new int[] {1, -2, 3, 4, 5, -6});
    assertEquals(NUMPY_INT32_2X3, HexFormat.of().formatHex(NpyWriter.toBytes(a)));
  }

  @Test
  void writesInt8ByteForByteAsNumpy() {
    NpyArray a = NpyArray.ofInt8(new long[] {3}, new int[] {-128, 0, 127});
    assertEquals(NUMPY_INT8_3, HexFormat.of().formatHex(NpyWriter.toBytes(a)));
  }

  @Test
  void readsWhatNumpyWrote() {
    NpyArray a = NpyReader.parse(HexFormat.of().parseHex(NUMPY_INT32_2X3), "x.npy");
    assertEquals(NpyDtype.INT32, a.dtype());
    assertArrayEquals(new long[] {2, 3}, a.shape());
    assertArrayEquals(new int[] {1, -2, 3, 4, 5, -6}, a.toIntArray());
    NpyArray b = NpyReader.parse(HexFormat.of().parseHex(NUMPY_INT8_3), "y.npy");
    assertEquals(NpyDtype.INT8, b.dtype());
    assertArrayEquals(new int[] {-128, 0, 127}, b.toIntArray());
  }

  @Test
  void roundTripsFloat32AndScalarsThroughAFile(@TempDir Path dir) {
    NpyArray f = NpyArray.ofFloat32(new long[] {2, 2}, new float[] {0.5f, -1.25f, 3e8f, Float.MIN_VALUE});
    NpyWriter.write(dir.resolve("f.npy"), f);
    NpyArray g = NpyReader.read(dir.resolve("f.npy"));
    assertEquals(NpyDtype.FLOAT32, g.dtype());
    assertArrayEquals(new float[] {0.5f, -1.25f, 3e8f, Float.MIN_VALUE}, g.toFloatArray());
    NpyWriter.write(dir.resolve("s.npy"), NpyArray.ofInt32(new long[0], new int[] {7}));
    NpyArray s = NpyReader.read(dir.resolve("s.npy"));
    assertEquals(0, s.ndim());
    assertArrayEquals(new int[] {7}, s.toIntArray());
  }

  @Test
  void readsTheConformanceInputs() {
    NpyArray a = NpyReader.read(SharedDir.get().resolve("cvm-conformance/dense-00/input.npy"));
    assertEquals(NpyDtype.INT8, a.dtype());
    assertArrayEquals(new long[] {2, 64}, a.shape());
  }

  @Test
  void atomicWriteLeavesNoTemporaryFiles(@TempDir Path dir) throws IOException {
    NpyWriter.write(dir.resolve("a.npy"), NpyArray.ofInt32(new long[] {1}, new int[] {1}));
    NpyWriter.write(dir.resolve("a.npy"), NpyArray.ofInt32(new long[] {1}, new int[] {2}));
    try (var s = Files.list(dir)) {
      assertEquals(1, s.count());
    }
    assertArrayEquals(new int[] {2}, NpyReader.read(dir.resolve("a.npy")).toIntArray());
  }

  private static byte[] file(String header, byte[] data) {
    byte[] h = header.getBytes(StandardCharsets.ISO_8859_1);
    ByteBuffer b = ByteBuffer.allocate(10 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
    b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.ISO_8859_1)).put((byte) 1).put((byte) 0);
    b.putShort((short) h.length).put(h).put(data);
    return b.array();
  }

  @Test
  void refusesAShapeLargerThanTheFileWithoutAllocatingIt() {
    byte[] f = file("{'descr': '<i4', 'fortran_order': False, 'shape': (1099511627776, 4096), }\n", new byte[8]);
    MrtException e = assertThrows(MrtException.class, () -> NpyReader.parse(f, "big.npy"));
    assertTrue(e.getMessage().startsWith("big.npy: at byte offset"), e.getMessage());
    assertTrue(e.getMessage().contains("at most 8 data bytes"), e.getMessage());
  }

  @Test
  void refusesTruncatedData() {
    byte[] f = file("{'descr': '<i4', 'fortran_order': False, 'shape': (3,), }\n", new byte[8]);
    MrtException e = assertThrows(MrtException.class, () -> NpyReader.parse(f, "t.npy"));
    assertEquals("t.npy: at byte offset 68: expected 12 data bytes for shape [3] of <i4, found 8 bytes after the "
        + "header", e.getMessage());
  }

  @Test
  void refusesAHeaderLengthBeyondTheFile() {
    byte[] f = file("{'descr': '<i4', 'fortran_order': False, 'shape': (3,), }\n", new byte[0]);
    f[8] = (byte) 0xff;
    f[9] = (byte) 0x7f;
    MrtException e = assertThrows(MrtException.class, () -> NpyReader.parse(f, "h.npy"));
    assertTrue(e.getMessage().startsWith("h.npy: at byte offset 8: expected a header length of at most"),
        e.getMessage());
  }

  @Test
  void refusesFortranOrderBigEndianAndUnknownDtypes() {
    assertThrows(MrtException.class, () -> NpyReader.parse(
        file("{'descr': '<i4', 'fortran_order': True, 'shape': (1,), }\n", new byte[4]), "f.npy"));
    MrtException e = assertThrows(MrtException.class, () -> NpyReader.parse(
        file("{'descr': '>i4', 'fortran_order': False, 'shape': (1,), }\n", new byte[4]), "b.npy"));
    assertTrue(e.getMessage().contains("found '>i4'"), e.getMessage());
    assertThrows(MrtException.class, () -> NpyReader.parse(
        file("{'descr': '<f8', 'fortran_order': False, 'shape': (1,), }\n", new byte[8]), "d.npy"));
  }

  @Test
  void refusesBadMagic() {
    byte[] f = file("{'descr': '<i4', 'fortran_order': False, 'shape': (1,), }\n", new byte[4]);
    f[1] = 'X';
    MrtException e = assertThrows(MrtException.class, () -> NpyReader.parse(f, "m.npy"));
    assertEquals("m.npy: at byte offset 1: expected the magic string \\x93NUMPY, found byte 0x58", e.getMessage());
  }

  @Test
  void readsInt64ThatFitsInt32AndRefusesOneThatDoesNot() {
    byte[] ok = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(-5).putLong(1L << 30).array();
    NpyArray a = NpyReader.parse(file("{'descr': '<i8', 'fortran_order': False, 'shape': (2,), }\n", ok), "i.npy");
    assertArrayEquals(new int[] {-5, 1 << 30}, a.toIntArray());
    byte[] bad = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(1L << 40).array();
    assertThrows(MrtException.class, () -> NpyReader.parse(
        file("{'descr': '<i8', 'fortran_order': False, 'shape': (1,), }\n", bad), "j.npy"));
  }
}
