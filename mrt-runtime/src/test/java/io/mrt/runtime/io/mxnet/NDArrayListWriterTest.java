package io.mrt.runtime.io.mxnet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class NDArrayListWriterTest {
  @TempDir
  Path dir;

  @Test
  void writesTheExactV2LayoutMxnetReads() throws IOException {
    Path p = dir.resolve("w.params");
    Map<String, INDArray> m = new LinkedHashMap<>();
    m.put("arg:w", Nd4j.create(new float[] {1, 2}, new long[] {1, 2}, DataType.FLOAT));
    NDArrayListWriter.write(NDArrayList.of(m), p);
    byte[] expected = new Bytes().list(1).v2(0, 1, 2).f32(1, 2).i64(1).name("arg:w").bytes();
    assertArrayEquals(expected, Files.readAllBytes(p));
  }

  @Test
  void everyDtypeSurvivesARoundTrip() {
    Path p = dir.resolve("all.params");
    Map<String, INDArray> m = new LinkedHashMap<>();
    m.put("f32", Nd4j.create(new float[] {1.5f, -2f}, new long[] {2}, DataType.FLOAT));
    m.put("f64", Nd4j.create(new double[] {0.1, 1e300}, new long[] {2, 1}, DataType.DOUBLE));
    m.put("f16", Nd4j.create(new float[] {1.5f, -65504f}, new long[] {2}, DataType.FLOAT).castTo(DataType.HALF));
    m.put("u8", Nd4j.create(new byte[] {(byte) 255, 0}, new long[] {2}, DataType.UINT8));
    m.put("i32", Nd4j.create(new int[] {Integer.MIN_VALUE, 5}, new long[] {2}, DataType.INT32));
    m.put("i8", Nd4j.create(new byte[] {-128, 127}, new long[] {2}, DataType.INT8));
    m.put("i64", Nd4j.create(new long[] {Long.MIN_VALUE, 3}, new long[] {2}, DataType.INT64));
    m.put("bool", Nd4j.create(new boolean[] {true, false}, new long[] {2}, DataType.BOOL));
    m.put("i16", Nd4j.create(new short[] {-32768, 1}, new long[] {2}, DataType.INT16));
    m.put("none", Nd4j.empty(DataType.FLOAT));
    NDArrayListWriter.write(NDArrayList.of(m), p);
    NDArrayList back = NDArrayListReader.read(p);
    assertEquals(List.copyOf(m.keySet()), back.names());
    for (int i = 0; i < back.arrays().size(); i++) {
      INDArray want = m.get(back.names().get(i));
      INDArray got = back.arrays().get(i);
      if (want.isEmpty()) {
        assertTrue(got.isEmpty());
        continue;
      }
      assertArrayEquals(want.shape(), got.shape(), back.names().get(i));
      DataType expectedType = want.dataType() == DataType.HALF ? DataType.FLOAT : want.dataType();
      assertEquals(expectedType, got.dataType(), back.names().get(i));
      assertArrayEquals(want.castTo(DataType.DOUBLE).reshape(want.length()).toDoubleVector(),
          got.castTo(DataType.DOUBLE).reshape(got.length()).toDoubleVector(), back.names().get(i));
    }
  }

  @Test
  void halfPrecisionEncodingRoundsToNearestEven() {
    assertEquals((short) 0x3C00, NDArrayListWriter.floatToHalf(1f));
    assertEquals((short) 0xC100, NDArrayListWriter.floatToHalf(-2.5f));
    assertEquals((short) 0x7C00, NDArrayListWriter.floatToHalf(1e6f));
    assertEquals((short) 0x0001, NDArrayListWriter.floatToHalf(0x1p-24f));
    assertEquals((short) 0x3C00, NDArrayListWriter.floatToHalf(1f + 0x1p-11f)); // tie, to even
    assertEquals((short) 0x3C01, NDArrayListWriter.floatToHalf(1f + 0x1p-11f + 0x1p-20f));
  }

  @Test
  void aFailedWriteLeavesNeitherAPartialFileNorATemporaryOne() throws IOException {
    Path p = dir.resolve("bad.params");
    Files.writeString(p, "old content");
    io.mrt.runtime.MrtException e = org.junit.jupiter.api.Assertions.assertThrows(io.mrt.runtime.MrtException.class,
        () -> io.mrt.runtime.io.AtomicFiles.write(p, out -> {
          out.write(new byte[100]);
          throw new IOException("disk full");
        }));
    assertEquals(p + ": cannot write: disk full", e.getMessage());
    assertEquals("old content", Files.readString(p));
    try (var files = Files.list(dir)) {
      assertEquals(List.of(p), files.toList());
    }
  }

  @Test
  void theRealParamsRoundTripByteForByte() throws IOException {
    Path src = Shared.dir().resolve("models/mnist-lenet-fcrc/lenet-0001.params");
    Path p = dir.resolve("copy.params");
    NDArrayListWriter.write(NDArrayListReader.read(src), p);
    assertArrayEquals(Files.readAllBytes(src), Files.readAllBytes(p));
  }
}
