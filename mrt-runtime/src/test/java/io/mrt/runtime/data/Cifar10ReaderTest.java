package io.mrt.runtime.data;

import static io.mrt.runtime.data.TestFiles.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mrt.runtime.MrtException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Cifar10ReaderTest {
  @TempDir Path dir;

  /** A record with the label and pixel value (c*1024 + y*32 + x + seed) mod 256. */
  private static byte[] records(int[] labels) {
    byte[] b = new byte[labels.length * Cifar10Reader.RECORD];
    for (int r = 0; r < labels.length; r++) {
      int base = r * Cifar10Reader.RECORD;
      b[base] = (byte) labels[r];
      for (int k = 0; k < 3072; k++) {
        b[base + 1 + k] = (byte) (k + r * 7);
      }
    }
    return b;
  }

  @Test
  void readsLabelsAndPlanarRgbPixels() throws Exception {
    Path f = write(dir.resolve("test_batch.bin"), records(new int[] {3, 9}));
    ImageSet set = Cifar10Reader.read(f);
    assertEquals(2, set.count());
    assertEquals(3, set.channels());
    assertEquals(32, set.height());
    assertArrayEquals(new int[] {3, 9}, set.labels());
    assertEquals(0, set.pixel(0, 0, 0, 0)); // red, k = 0
    assertEquals(1, set.pixel(0, 0, 0, 1)); // red, k = 1
    assertEquals(32 % 256, set.pixel(0, 0, 1, 0)); // red row 1, k = 32
    assertEquals(1024 % 256, set.pixel(0, 1, 0, 0)); // green, k = 1024 -> 0
    assertEquals((2048 + 5 * 32 + 6) % 256, set.pixel(0, 2, 5, 6)); // blue, k = 2214 -> 166
    assertEquals((3071 + 7) % 256, set.pixel(1, 2, 31, 31)); // record 1, last byte -> 6
    assertEquals("cat", set.classNames().get(set.label(0)));
  }

  @Test
  void concatenatesSeveralBatchFilesInOrder() throws Exception {
    Path a = write(dir.resolve("data_batch_1.bin"), records(new int[] {1}));
    Path b = write(dir.resolve("data_batch_2.bin"), records(new int[] {2, 0}));
    ImageSet set = Cifar10Reader.read(List.of(a, b));
    assertArrayEquals(new int[] {1, 2, 0}, set.labels());
    assertEquals(0, set.pixel(1, 0, 0, 0)); // file 2, record 0: pixel k = 0
    assertEquals(7, set.pixel(2, 0, 0, 0)); // file 2, record 1: pixel k + 7
  }

  @Test
  void sizeNotAMultipleOfTheRecordIsRefused() throws Exception {
    Path f = write(dir.resolve("test_batch.bin"), new byte[3073 + 10]);
    MrtException e = assertThrows(MrtException.class, () -> Cifar10Reader.read(f));
    assertEquals(f + ": expected a CIFAR-10 binary file whose size is a positive multiple of 3073 bytes "
        + "(label byte + 3x32x32 pixels), found 3083 bytes", e.getMessage());
  }

  @Test
  void labelAboveNineIsRefusedNamingTheRecord() throws Exception {
    Path f = write(dir.resolve("test_batch.bin"), records(new int[] {0, 10}));
    MrtException e = assertThrows(MrtException.class, () -> Cifar10Reader.read(f));
    assertEquals(f + ": record 1: expected a label 0 to 9, found 10", e.getMessage());
  }

  @Test
  void missingTrainingBatchIsNamed() throws Exception {
    write(dir.resolve("data_batch_1.bin"), records(new int[] {1}));
    MrtException e = assertThrows(MrtException.class, () -> Datasets.load("cifar10", dir, Split.TRAIN,
        Preprocessing.divideBy255(-1, 3, 32, 32)));
    assertEquals(dir + ": expected the CIFAR-10 binary file data_batch_2.bin, found none", e.getMessage());
  }

  @Tag("full")
  @Test
  void realCifarTestSetHasTheDocumentedCountsAndPixels() {
    ImageSet set = Datasets.load("cifar10", TestFiles.shared().resolve("data/cifar10-q75"), Split.TEST,
        Preprocessing.divideBy255(-1, 3, 32, 32));
    assertEquals(10_000, set.count());
    assertArrayEquals(new int[] {1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000}, set.labelCounts());
    assertEquals(0, set.label(0));
    assertEquals(9, set.label(9999));
    assertArrayEquals(new int[] {141, 159, 179},
        new int[] {set.pixel(0, 0, 0, 0), set.pixel(0, 1, 0, 0), set.pixel(0, 2, 0, 0)});
    assertArrayEquals(new int[] {113, 94, 90},
        new int[] {set.pixel(9999, 0, 31, 31), set.pixel(9999, 1, 31, 31), set.pixel(9999, 2, 31, 31)});
    assertEquals(475_641, IdxReaderTest.pixelSum(set, 0));
  }

  @Test
  void fixtureCifarSubsetHoldsTheFirst50ImagesOfEachClassUnchanged() {
    ImageSet set = Datasets.load("cifar10", TestFiles.shared().resolve("data/cifar10-q75"), Split.TEST,
        Preprocessing.divideBy255(-1, 3, 32, 32));
    assertEquals(500, set.count());
    assertArrayEquals(new int[] {50, 50, 50, 50, 50, 50, 50, 50, 50, 50}, set.labelCounts());
    assertEquals(0, set.label(0));
    assertEquals(9, set.label(499));
    // record 0 of the subset is record 0 of the full test batch; record 499 is record 9049
    assertArrayEquals(new int[] {141, 159, 179},
        new int[] {set.pixel(0, 0, 0, 0), set.pixel(0, 1, 0, 0), set.pixel(0, 2, 0, 0)});
    assertEquals(475_641, IdxReaderTest.pixelSum(set, 0));
    assertArrayEquals(new int[] {133, 125, 112},
        new int[] {set.pixel(499, 0, 31, 31), set.pixel(499, 1, 31, 31), set.pixel(499, 2, 31, 31)});
    assertEquals(391_418, IdxReaderTest.pixelSum(set, 499));
  }
}
