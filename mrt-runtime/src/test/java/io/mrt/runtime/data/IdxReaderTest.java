package io.mrt.runtime.data;

import static io.mrt.runtime.data.TestFiles.bytes;
import static io.mrt.runtime.data.TestFiles.gzip;
import static io.mrt.runtime.data.TestFiles.idx;
import static io.mrt.runtime.data.TestFiles.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mrt.runtime.MrtException;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {
  @TempDir Path dir;

  /** Two 2x3 images with pixel values 0..11 and labels 7, 3. */
  private Path[] twoImages(boolean gzipped) throws Exception {
    byte[] img = idx(new int[] {2, 2, 3}, bytes(0, 1, 2, 3, 4, 255, 6, 7, 8, 9, 10, 11));
    byte[] lab = idx(new int[] {2}, bytes(7, 3));
    String ext = gzipped ? ".gz" : "";
    return new Path[] {
      write(dir.resolve("img" + ext), gzipped ? gzip(img) : img),
      write(dir.resolve("lab" + ext), gzipped ? gzip(lab) : lab)
    };
  }

  @Test
  void readsRawIdxImagesAndLabelsWithExactPixels() throws Exception {
    Path[] f = twoImages(false);
    ImageSet set = IdxReader.readImageSet(f[0], f[1]);
    assertEquals(2, set.count());
    assertEquals(1, set.channels());
    assertEquals(2, set.height());
    assertEquals(3, set.width());
    assertArrayEquals(new int[] {7, 3}, set.labels());
    assertEquals(0, set.pixel(0, 0, 0, 0));
    assertEquals(255, set.pixel(0, 0, 1, 2));
    assertEquals(6, set.pixel(1, 0, 0, 0));
    assertEquals(11, set.pixel(1, 0, 1, 2));
  }

  @Test
  void readsGzippedIdxTheSameAsRaw() throws Exception {
    Path[] f = twoImages(true);
    ImageSet set = IdxReader.readImageSet(f[0], f[1]);
    assertArrayEquals(new int[] {7, 3}, set.labels());
    assertEquals(255, set.pixel(0, 0, 1, 2));
    assertEquals(10, set.pixel(1, 0, 1, 1));
  }

  @Test
  void gzipIsRecognisedByContentNotByName() throws Exception {
    Path img = write(dir.resolve("images-no-extension"), gzip(idx(new int[] {1, 1, 2}, bytes(5, 6))));
    Path lab = write(dir.resolve("labels.gz"), idx(new int[] {1}, bytes(4)));
    ImageSet set = IdxReader.readImageSet(img, lab);
    assertEquals(6, set.pixel(0, 0, 0, 1));
    assertEquals(4, set.label(0));
  }

  @Test
  void badMagicNamesTheFileAndTheBytesFound() throws Exception {
    Path f = write(dir.resolve("bad"), bytes(0x50, 0x4b, 0x03, 0x04, 0, 0, 0, 0));
    MrtException e = assertThrows(MrtException.class, () -> IdxReader.read(f));
    assertEquals(f + ": not an IDX file: expected magic bytes 00 00 <type> <ndim>, found 50 4b 03 04", e.getMessage());
  }

  @Test
  void nonByteDataTypeIsRefused() throws Exception {
    Path f = write(dir.resolve("float"), bytes(0, 0, 0x0D, 1, 0, 0, 0, 1, 0, 0, 0, 0));
    MrtException e = assertThrows(MrtException.class, () -> IdxReader.read(f));
    assertEquals(f + ": IDX data type 0x0d is not supported: expected 0x08 (unsigned byte)", e.getMessage());
  }

  @Test
  void truncatedHeaderIsReported() throws Exception {
    Path f = write(dir.resolve("short"), bytes(0, 0, 8, 3, 0, 0, 0, 2, 0, 0));
    MrtException e = assertThrows(MrtException.class, () -> IdxReader.read(f));
    assertEquals(f + ": truncated IDX header: expected 3 dimensions (12 bytes), found 6 bytes", e.getMessage());
  }

  @Test
  void truncatedGzippedDataReportsBytesExpectedAndFound() throws Exception {
    Path f = write(dir.resolve("short.gz"), gzip(idx(new int[] {2, 2, 2}, bytes(1, 2, 3, 4, 5))));
    MrtException e = assertThrows(MrtException.class, () -> IdxReader.read(f));
    assertEquals(f + ": truncated IDX data: dimensions (2, 2, 2) need 8 bytes, found 5", e.getMessage());
  }

  @Test
  void rawFileSizeIsCheckedAgainstTheHeaderBeforeAllocating() throws Exception {
    Path f = write(dir.resolve("short"), idx(new int[] {1000, 28, 28}, bytes(1, 2, 3)));
    MrtException e = assertThrows(MrtException.class, () -> IdxReader.read(f));
    assertEquals(f + ": IDX dimensions (1000, 28, 28) need a file of 784016 bytes, found 19 bytes", e.getMessage());
  }

  @Test
  void trailingDataIsAnError() throws Exception {
    Path f = write(dir.resolve("long.gz"), gzip(idx(new int[] {3}, bytes(1, 2, 3, 4))));
    MrtException e = assertThrows(MrtException.class, () -> IdxReader.read(f));
    assertEquals(f + ": IDX data longer than its dimensions (3) declare (3 bytes)", e.getMessage());
  }

  @Test
  void hugeDeclaredSizeIsRefusedBeforeAllocating() throws Exception {
    // 65536 x 65536 x 65536 bytes: refused from the header alone (the file has no data at all)
    Path f = write(dir.resolve("huge.gz"), gzip(idx(new int[] {65536, 65536, 65536}, new byte[0])));
    MrtException e = assertThrows(MrtException.class, () -> IdxReader.read(f));
    assertEquals(f + ": IDX dimensions (65536, 65536, 65536) need more than the limit of 536870912 bytes",
        e.getMessage());
  }

  @Test
  void dimensionAboveTwoToThe31IsRefused() throws Exception {
    Path f = write(dir.resolve("neg"), idx(new int[] {0xFFFFFFFF}, new byte[0]));
    MrtException e = assertThrows(MrtException.class, () -> IdxReader.read(f));
    assertEquals(f + ": IDX dimension 0 is 4294967295, more than the limit of 536870912 bytes", e.getMessage());
  }

  @Test
  void corruptGzipNamesTheFile() throws Exception {
    byte[] gz = gzip(idx(new int[] {4}, bytes(1, 2, 3, 4)));
    gz[12] ^= 0x55;
    gz[13] ^= 0x55;
    Path f = write(dir.resolve("corrupt.gz"), gz);
    MrtException e = assertThrows(MrtException.class, () -> IdxReader.read(f));
    assertEquals(true, e.getMessage().startsWith(f + ": "), e.getMessage());
  }

  @Test
  void missingFileIsNamed() {
    Path f = dir.resolve("absent-images-idx3-ubyte.gz");
    MrtException e = assertThrows(MrtException.class, () -> IdxReader.read(f));
    assertEquals(f + ": no such file", e.getMessage());
  }

  @Test
  void labelCountMustMatchImageCount() throws Exception {
    Path img = write(dir.resolve("img"), idx(new int[] {2, 1, 1}, bytes(1, 2)));
    Path lab = write(dir.resolve("lab"), idx(new int[] {3}, bytes(1, 2, 3)));
    MrtException e = assertThrows(MrtException.class, () -> IdxReader.readImageSet(img, lab));
    assertEquals(lab + ": expected 2 labels (the image count of " + img + "), found 3", e.getMessage());
  }

  @Test
  void labelsFileMustBeRankOne() throws Exception {
    Path img = write(dir.resolve("img"), idx(new int[] {2, 1, 1}, bytes(1, 2)));
    MrtException e = assertThrows(MrtException.class, () -> IdxReader.readImageSet(img, img));
    assertEquals(img + ": expected IDX labels of rank 1 (N), found rank 3", e.getMessage());
  }

  @Tag("full")
  @Test
  void realMnistTestSetHasTheCanonicalLabelsAndPixels() {
    ImageSet set = Datasets.load("mnist", TestFiles.shared().resolve("data/mnist"), Split.TEST,
        Preprocessing.divideBy255(-1, 1, 28, 28));
    assertEquals(10_000, set.count());
    assertEquals(28, set.height());
    assertEquals(28, set.width());
    assertArrayEquals(new int[] {7, 2, 1, 0, 4, 1, 4, 9, 5, 9}, Arrays.copyOf(set.labels(), 10));
    assertArrayEquals(new int[] {980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009}, set.labelCounts());
    assertEquals(6, set.label(9999));
    // image 0, row 7, columns 6..11 (values from numpy on the same file)
    int[] row = new int[6];
    for (int x = 6; x < 12; x++) {
      row[x - 6] = set.pixel(0, 0, 7, x);
    }
    assertArrayEquals(new int[] {84, 185, 159, 151, 60, 36}, row);
    assertEquals(18_454, pixelSum(set, 0));
    long total = 0;
    for (int i = 0; i < set.count(); i++) {
      total += pixelSum(set, i);
    }
    assertEquals(264_923_200L, total);
  }

  @Tag("full")
  @Test
  void realMnistTrainingSetHasTheCanonicalCounts() {
    ImageSet set = Datasets.load("mnist", TestFiles.shared().resolve("data/mnist"), Split.TRAIN,
        Preprocessing.divideBy255(-1, 1, 28, 28));
    assertEquals(60_000, set.count());
    assertArrayEquals(new int[] {5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949}, set.labelCounts());
    assertArrayEquals(new int[] {5, 0, 4, 1, 9, 2, 1, 3, 1, 4}, Arrays.copyOf(set.labels(), 10));
    assertEquals(27_525, pixelSum(set, 0));
  }

  @Tag("full")
  @Test
  void realFashionMnistTestSetHasTheCanonicalLabels() {
    ImageSet set = Datasets.load("fashion-mnist", TestFiles.shared().resolve("data/fashion-mnist"),
        Split.TEST, Preprocessing.divideBy255(-1, 1, 28, 28));
    assertEquals(10_000, set.count());
    assertArrayEquals(new int[] {9, 2, 1, 1, 6, 1, 4, 6, 5, 7}, Arrays.copyOf(set.labels(), 10));
    assertArrayEquals(new int[] {1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000}, set.labelCounts());
    assertEquals(33_456, pixelSum(set, 0));
    assertEquals(5, set.label(9999));
  }

  @Test
  void fixtureMnistSubsetHoldsTheFirst500TestAndTrainingImagesUnchanged() {
    ImageSet test = Datasets.load("mnist", TestFiles.shared().resolve("data/mnist"), Split.TEST,
        Preprocessing.divideBy255(-1, 1, 28, 28));
    assertEquals(500, test.count());
    assertArrayEquals(new int[] {7, 2, 1, 0, 4, 1, 4, 9, 5, 9}, Arrays.copyOf(test.labels(), 10));
    assertArrayEquals(new int[] {42, 67, 55, 45, 55, 50, 43, 49, 40, 54}, test.labelCounts());
    int[] row = new int[6];
    for (int x = 6; x < 12; x++) {
      row[x - 6] = test.pixel(0, 0, 7, x);
    }
    assertArrayEquals(new int[] {84, 185, 159, 151, 60, 36}, row);
    assertEquals(18_454, pixelSum(test, 0));
    ImageSet train = Datasets.load("mnist", TestFiles.shared().resolve("data/mnist"), Split.TRAIN,
        Preprocessing.divideBy255(-1, 1, 28, 28));
    assertEquals(500, train.count());
    assertArrayEquals(new int[] {50, 66, 52, 50, 52, 39, 45, 52, 39, 55}, train.labelCounts());
    assertArrayEquals(new int[] {5, 0, 4, 1, 9, 2, 1, 3, 1, 4}, Arrays.copyOf(train.labels(), 10));
    assertEquals(27_525, pixelSum(train, 0));
  }

  @Test
  void fixtureFashionMnistSubsetHoldsTheFirst500TestImagesUnchanged() {
    ImageSet set = Datasets.load("fashion-mnist", TestFiles.shared().resolve("data/fashion-mnist"),
        Split.TEST, Preprocessing.divideBy255(-1, 1, 28, 28));
    assertEquals(500, set.count());
    assertArrayEquals(new int[] {9, 2, 1, 1, 6, 1, 4, 6, 5, 7}, Arrays.copyOf(set.labels(), 10));
    assertArrayEquals(new int[] {55, 52, 65, 46, 57, 39, 47, 47, 44, 48}, set.labelCounts());
    assertEquals(33_456, pixelSum(set, 0));
  }

  static long pixelSum(ImageSet set, int i) {
    long s = 0;
    for (int c = 0; c < set.channels(); c++) {
      for (int y = 0; y < set.height(); y++) {
        for (int x = 0; x < set.width(); x++) {
          s += set.pixel(i, c, y, x);
        }
      }
    }
    return s;
  }
}
