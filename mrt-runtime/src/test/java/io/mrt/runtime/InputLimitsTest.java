package io.mrt.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shared bounds: reads end at the limit by the bytes read, special files are refused, values abbreviated. */
class InputLimitsTest {
  @TempDir Path dir;

  /** An endless stream of zeros, like /dev/zero, that reports nothing about its size. */
  private static InputStream endless() {
    return new InputStream() {
      @Override
      public int read() {
        return 0;
      }

      @Override
      public int read(byte[] b, int off, int len) {
        java.util.Arrays.fill(b, off, off + len, (byte) 0);
        return len;
      }
    };
  }

  @Test
  void anEndlessStreamStopsOneByteAfterTheLimit() {
    MrtException e = assertThrows(MrtException.class, () -> InputLimits.readAll(endless(), 100_000, "stream"));
    assertEquals("stream: more than the limit of 100000 bytes", e.getMessage());
  }

  @Test
  void aFileOfExactlyTheLimitIsReadWholeAndOneByteMoreIsRefused() throws IOException {
    byte[] data = new byte[70_000];
    for (int i = 0; i < data.length; i++) {
      data[i] = (byte) (i * 31);
    }
    Path f = Files.write(dir.resolve("f.bin"), data);
    assertArrayEquals(data, InputLimits.readAll(f, 70_000, "test file"));
    assertEquals(f + ": test file: more than the limit of 69999 bytes",
        assertThrows(MrtException.class, () -> InputLimits.readAll(f, 69_999, "test file")).getMessage());
    assertArrayEquals(new byte[] {1, 2, 3}, InputLimits.readAll(new ByteArrayInputStream(new byte[] {1, 2, 3}),
        3, "stream"));
  }

  @Test
  void devZeroAndFoldersAreRefusedBeforeReading() {
    assertEquals("/dev/zero: expected a regular symbol file, found a special file (device, pipe or socket)",
        assertThrows(MrtException.class, () -> InputLimits.readAll(Path.of("/dev/zero"), 1 << 20, "symbol file"))
            .getMessage());
    assertEquals(dir + ": expected a regular params file, found a folder",
        assertThrows(MrtException.class, () -> InputLimits.readAll(dir, 1 << 20, "params file")).getMessage());
    assertEquals(dir.resolve("absent") + ": no such params file",
        assertThrows(MrtException.class, () -> InputLimits.readAll(dir.resolve("absent"), 1, "params file"))
            .getMessage());
  }

  @Test
  void longValuesAreAbbreviatedAndControlCharactersEscaped() {
    assertEquals("a\\nb\\u0000", InputLimits.abbreviate("a\nb\0"));
    assertEquals("y".repeat(120) + "... (600000 characters)", InputLimits.abbreviate("y".repeat(600_000)));
    String clipped = InputLimits.clip("m".repeat(10_000));
    assertEquals(1400 + " ... (8200 characters omitted) ... ".length() + 400, clipped.length());
  }

  @Test
  void rangesNameTheValueAndTheBounds() {
    assertEquals(7, InputLimits.checkInt(7, 1, 1024, "--threads"));
    assertEquals("x.yaml: COMMON.BATCH: expected an integer in [1, 2147483647], found 4294967312",
        assertThrows(MrtException.class, () -> InputLimits.checkInt(4294967312L, 1, Long.MAX_VALUE,
            "x.yaml: COMMON.BATCH")).getMessage());
    assertEquals("a.json: nesting deeper than the limit of 64 levels",
        assertThrows(MrtException.class, () -> InputLimits.checkDepth(65, "a.json")).getMessage());
  }
}
