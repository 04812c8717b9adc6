package io.mrt.runtime.io.mxnet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mrt.runtime.MrtException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class NDArrayListReaderTest {
  @TempDir
  Path dir;

  private Path file(Bytes b) throws IOException {
    Path p = dir.resolve("t.params");
    Files.write(p, b.bytes());
    return p;
  }

  private NDArrayList read(Bytes b) throws IOException {
    return NDArrayListReader.read(file(b));
  }

  @Test
  void readsV2RecordsWithPrefixedNamesAsStored() throws IOException {
    Bytes b = new Bytes().list(2)
        .v2(0, 2, 2).f32(1, 2, 3, 4)
        .v2(0, 3).f32(-1, 0, 1)
        .i64(2).name("arg:w").name("aux:moving_mean");
    NDArrayList l = read(b);
    assertEquals(List.of("arg:w", "aux:moving_mean"), l.names());
    INDArray w = l.arrays().get(0);
    assertEquals(DataType.FLOAT, w.dataType());
    assertArrayEquals(new long[] {2, 2}, w.shape());
    assertArrayEquals(new float[] {1, 2, 3, 4}, w.reshape(4).toFloatVector());
    assertArrayEquals(new float[] {-1, 0, 1}, l.arrays().get(1).toFloatVector());
  }

  @Test
  void readsV1V3AndLegacyRecords() throws IOException {
    Bytes b = new Bytes().list(3)
        // V1: magic, i32 ndim, i64 dims, ctx, dtype
        .i32(NDArrayListReader.V1_MAGIC).i32(1).i64(2).i32(1).i32(0).i32(0).f32(5, 6)
        // V3: as V2 with numpy shapes; ndim 0 is a scalar
        .i32(NDArrayListReader.V3_MAGIC).i32(0).i32(0).i32(1).i32(0).i32(1).f64(7.5)
        // legacy: u32 ndim, u32 dims, ctx, dtype
        .i32(2).i32(1).i32(2).i32(1).i32(0).i32(4).i32(-3).i32(9)
        .i64(0);
    NDArrayList l = read(b);
    assertTrue(l.names().isEmpty());
    assertArrayEquals(new float[] {5, 6}, l.arrays().get(0).toFloatVector());
    INDArray scalar = l.arrays().get(1);
    assertEquals(DataType.DOUBLE, scalar.dataType());
    assertEquals(0, scalar.rank());
    assertEquals(7.5, scalar.getDouble(0));
    INDArray legacy = l.arrays().get(2);
    assertEquals(DataType.INT32, legacy.dataType());
    assertArrayEquals(new long[] {1, 2}, legacy.shape());
    assertArrayEquals(new int[] {-3, 9}, legacy.reshape(2).toIntVector());
  }

  @Test
  void noneArraysOfEveryVersionBecomeEmptyArrays() throws IOException {
    Bytes b = new Bytes().list(3)
        .i32(NDArrayListReader.V2_MAGIC).i32(0).i32(0)
        .i32(NDArrayListReader.V3_MAGIC).i32(0).i32(-1)
        .i32(0)
        .i64(0);
    NDArrayList l = read(b);
    for (INDArray a : l.arrays()) {
      assertTrue(a.isEmpty());
    }
  }

  @Test
  void readsEveryDtypeCode() throws IOException {
    Bytes b = new Bytes().list(13)
        .v2(0, 1).f32(1.5f)
        .v2(1, 1).f64(-2.25)
        .v2(2, 2).i16(0x3C00).i16(0xC100) // float16 1.0 and -2.5
        .v2(3, 1).u8(200)
        .v2(4, 1).i32(-7)
        .v2(5, 1).u8(0xFE) // int8 -2
        .v2(6, 1).i64(1L << 40)
        .v2(7, 2).u8(1).u8(0)
        .v2(8, 1).i16(-300)
        .v2(9, 1).i16(60000)
        .v2(10, 1).i32((int) 4000000000L)
        .v2(11, 1).i64(12345)
        .v2(12, 1).i16(0x4049) // bfloat16 3.140625
        .i64(0);
    List<INDArray> a = read(b).arrays();
    assertEquals(1.5, a.get(0).getDouble(0));
    assertEquals(-2.25, a.get(1).getDouble(0));
    assertEquals(DataType.FLOAT, a.get(2).dataType());
    assertArrayEquals(new float[] {1.0f, -2.5f}, a.get(2).toFloatVector());
    assertEquals(DataType.UINT8, a.get(3).dataType());
    assertEquals(200.0, a.get(3).getDouble(0));
    assertEquals(-7, a.get(4).getInt(0));
    assertEquals(-2, a.get(5).getInt(0));
    assertEquals(1L << 40, a.get(6).getLong(0));
    assertEquals(DataType.BOOL, a.get(7).dataType());
    assertEquals(1.0, a.get(7).getDouble(0));
    assertEquals(0.0, a.get(7).getDouble(1));
    assertEquals(-300, a.get(8).getInt(0));
    assertEquals(60000.0, a.get(9).getDouble(0));
    assertEquals(4.0e9, a.get(10).getDouble(0));
    assertEquals(12345L, a.get(11).getLong(0));
    assertEquals(DataType.FLOAT, a.get(12).dataType());
    assertEquals(3.140625f, a.get(12).getFloat(0));
  }

  @Test
  void halfPrecisionConversionCoversSubnormalsAndSpecials() {
    assertEquals(0x1p-24f, NDArrayListReader.halfToFloat((short) 0x0001));
    assertEquals(65504f, NDArrayListReader.halfToFloat((short) 0x7BFF));
    assertEquals(Float.NEGATIVE_INFINITY, NDArrayListReader.halfToFloat((short) 0xFC00));
    assertTrue(Float.isNaN(NDArrayListReader.halfToFloat((short) 0x7E00)));
    assertEquals(-0f, NDArrayListReader.halfToFloat((short) 0x8000));
  }

  @Test
  void wrongListMagicNamesFileAndOffset() throws IOException {
    Path p = file(new Bytes().i64(0x113).i64(0).i64(0).i64(0));
    MrtException e = assertThrows(MrtException.class, () -> NDArrayListReader.read(p));
    assertEquals(p + ": byte 0: wrong magic: expected 0x112 (an MXNet NDArray list / .params file), found 0x113",
        e.getMessage());
  }

  @Test
  void wrongRecordMagicIsRefused() throws IOException {
    Path p = file(new Bytes().list(1).i32(0xDEADBEEF).i32(0));
    MrtException e = assertThrows(MrtException.class, () -> NDArrayListReader.read(p));
    assertTrue(e.getMessage().startsWith(p + ": byte 24: array 0: not an NDArray record"), e.getMessage());
  }

  @Test
  void truncatedDataIsDetectedBeforeAllocating() throws IOException {
    Bytes b = new Bytes().list(1).v2(0, 1000, 1000).f32(1, 2, 3);
    Path p = file(b);
    MrtException e = assertThrows(MrtException.class, () -> NDArrayListReader.read(p));
    assertEquals(p + ": byte 64: truncated file: array 0 of shape (1000, 1000) and dtype float32 needs 4000000 bytes "
        + "of data, only 12 remain", e.getMessage());
  }

  @Test
  void absurdCountsAndRanksAreRefusedBeforeAllocating() throws IOException {
    Path huge = file(new Bytes().list(Integer.MAX_VALUE));
    MrtException e = assertThrows(MrtException.class, () -> NDArrayListReader.read(huge));
    assertEquals(huge + ": byte 16: array count 2147483647 cannot fit in the 0 remaining bytes", e.getMessage());
    Path rank = file(new Bytes().list(1).i32(NDArrayListReader.V2_MAGIC).i32(0).i32(1 << 30));
    e = assertThrows(MrtException.class, () -> NDArrayListReader.read(rank));
    assertEquals(rank + ": byte 32: array 0: rank must be in [0, 32], found 1073741824", e.getMessage());
    Path dims = file(new Bytes().list(1).v2(0, Long.MAX_VALUE, Long.MAX_VALUE));
    e = assertThrows(MrtException.class, () -> NDArrayListReader.read(dims));
    assertTrue(e.getMessage().contains("overflows"), e.getMessage());
    Path name = file(new Bytes().list(1).v2(0, 1).f32(1).i64(1).i64(1L << 40));
    e = assertThrows(MrtException.class, () -> NDArrayListReader.read(name));
    assertTrue(e.getMessage().startsWith(name + ": byte 68: truncated file: name 0 has length 1099511627776"),
        e.getMessage());
  }

  @Test
  void sparseStorageIsRefusedWithItsName() throws IOException {
    Path p = file(new Bytes().list(1).i32(NDArrayListReader.V2_MAGIC).i32(1).i32(1).i64(3));
    MrtException e = assertThrows(MrtException.class, () -> NDArrayListReader.read(p));
    assertTrue(e.getMessage().startsWith(p + ": byte 28: array 0: storage type row_sparse (1) is not supported"),
        e.getMessage());
  }

  @Test
  void unknownDtypeAndBadNameCountAreRefused() throws IOException {
    Path dtype = file(new Bytes().list(1).v2(13, 1).f32(0));
    MrtException e = assertThrows(MrtException.class, () -> NDArrayListReader.read(dtype));
    assertEquals(dtype + ": byte 52: array 0: unknown dtype code 13 (expected 0 to 12)", e.getMessage());
    Path names = file(new Bytes().list(1).v2(0, 1).f32(0).i64(2));
    e = assertThrows(MrtException.class, () -> NDArrayListReader.read(names));
    assertEquals(names + ": byte 60: name count 2 must be 0 or equal to the array count 1", e.getMessage());
  }

  @Test
  void emptyAndMissingFiles() throws IOException {
    Path empty = file(new Bytes());
    MrtException e = assertThrows(MrtException.class, () -> NDArrayListReader.read(empty));
    assertTrue(e.getMessage().startsWith(empty + ": byte 0: truncated file"), e.getMessage());
    Path missing = dir.resolve("nope.params");
    e = assertThrows(MrtException.class, () -> NDArrayListReader.read(missing));
    assertEquals(missing + ": no such file", e.getMessage());
  }

  @Test
  void theRealModelsParamsRead() {
    Path models = Shared.dir().resolve("models");
    NDArrayList l = NDArrayListReader.read(models.resolve("cifar-resnet20-v1/cifar_resnet20_v1-0000.params"));
    long params = 0;
    for (INDArray a : l.arrays()) {
      params += a.length();
    }
    assertEquals(274_042, params);
    assertTrue(l.names().contains("aux:cifarresnetv10_batchnorm0_running_mean"), l.names().toString());
  }
}
