package io.mrt.runtime.io.recordio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mrt.runtime.MrtException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** MXNet's indexed RecordIO: the bytes of the format, records split at the magic, and bad files. */
class RecordIoTest {
  @TempDir Path dir;

  @Test
  void aRecordIsMagicLengthPayloadAndPaddingToFourBytes() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    String idx = RecordIo.writeImages(out, List.of(new ImageRecord(7, 3f, new byte[] {1, 2, 3})));
    byte[] b = out.toByteArray();
    ByteBuffer r = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    assertEquals(0xced7230a, r.getInt());
    assertEquals(24 + 3, r.getInt(), "flag 0, length 27");
    assertEquals(0, r.getInt(), "IRHeader.flag");
    assertEquals(3f, r.getFloat(), "IRHeader.label");
    assertEquals(7L, r.getLong(), "IRHeader.id");
    assertEquals(0L, r.getLong(), "IRHeader.id2");
    assertEquals(1, r.get());
    assertEquals(36, b.length, "8 header + 27 payload + 1 padding byte");
    assertEquals("7\t0\n", idx);
  }

  @Test
  void recordsReadBackByIndexIncludingAPayloadSplitAtAnAlignedMagic() throws Exception {
    // image bytes holding the magic at payload offset 24 + 4 = 28 (aligned): written as two parts
    byte[] withMagic = {9, 9, 9, 9, 0x0a, 0x23, (byte) 0xd7, (byte) 0xce, 5, 6};
    List<ImageRecord> records = List.of(new ImageRecord(0, 1f, new byte[] {10, 20, 30, 40, 50}),
        new ImageRecord(1, 999f, withMagic), new ImageRecord(2, 0f, new byte[] {(byte) 255}));
    Path rec = dir.resolve("val.rec");
    Path idx = dir.resolve("val.idx");
    try (var os = Files.newOutputStream(rec)) {
      Files.writeString(idx, RecordIo.writeImages(os, records));
    }
    List<RecordIo.IndexEntry> index = RecordIo.readIndex(idx);
    assertEquals(List.of(0L, 1L, 2L), index.stream().map(RecordIo.IndexEntry::key).toList());
    assertEquals(0L, index.get(0).offset());
    assertEquals(8 + 32L, index.get(1).offset(), "24 + 5 = 29 payload bytes padded to 32");
    // the split record (34 payload bytes): part 1 (28 bytes), the magic dropped, part 3 (2 bytes, padded to 4)
    assertEquals(40 + 8 + 28 + 8 + 4L, index.get(2).offset());
    try (RecordIo.Reader r = new RecordIo.Reader(rec)) {
      for (int i = 0; i < 3; i++) {
        ImageRecord got = r.image(index.get(i).offset());
        assertEquals(records.get(i).id(), got.id());
        assertEquals(records.get(i).label(), got.label());
        assertArrayEquals(records.get(i).image(), got.image());
      }
    }
  }

  @Test
  void aWrongOffsetOrATruncatedFileIsOneErrorNamingTheRecord() throws Exception {
    Path rec = dir.resolve("val.rec");
    try (var os = Files.newOutputStream(rec)) {
      RecordIo.writeImages(os, List.of(new ImageRecord(0, 1f, new byte[100])));
    }
    try (RecordIo.Reader r = new RecordIo.Reader(rec)) {
      MrtException e = assertThrows(MrtException.class, () -> r.image(4));
      assertEquals(rec + ": record at offset 4: expected the magic 0xced7230a, found 0x7c", e.getMessage());
      MrtException far = assertThrows(MrtException.class, () -> r.image(1000));
      assertEquals(rec + ": record at offset 1000: needs bytes 1000..1008, the file has 132", far.getMessage());
    }
    byte[] all = Files.readAllBytes(rec);
    Files.write(rec, java.util.Arrays.copyOf(all, 60));
    try (RecordIo.Reader r = new RecordIo.Reader(rec)) {
      MrtException e = assertThrows(MrtException.class, () -> r.image(0));
      assertEquals(rec + ": record at offset 0: needs bytes 8..132, the file has 60", e.getMessage());
    }
    Path idx = dir.resolve("bad.idx");
    Files.writeString(idx, "0\t0\n1 x\n");
    assertEquals(idx + ": line 2: expected 'key<TAB>offset', found '1 x'",
        assertThrows(MrtException.class, () -> RecordIo.readIndex(idx)).getMessage());
  }
}
