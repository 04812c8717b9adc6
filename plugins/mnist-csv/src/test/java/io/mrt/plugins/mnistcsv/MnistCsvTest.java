package io.mrt.plugins.mnistcsv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mrt.api.data.DatasetException;
import io.mrt.api.data.DatasetRequest;
import io.mrt.api.data.DatasetSplit;
import io.mrt.api.data.LabelledImages;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MnistCsvTest {
  @TempDir
  Path dir;

  private static DatasetRequest request(Path dir, DatasetSplit split, long[] shape, int limit) {
    return new DatasetRequest(dir, split, shape, false, limit);
  }

  @Test
  void readsTheLabelThenThePixelsOfEachLineSkippingAHeaderAndBlankLines() throws Exception {
    Files.writeString(dir.resolve("mnist_test.csv"), "label,p0,p1,p2,p3\n7,0,1,254,255\n\n2, 9 ,8,7,6\n");
    LabelledImages im = new MnistCsv().open(request(dir, DatasetSplit.TEST, new long[] {-1, 1, 2, 2}, 100));
    assertEquals(dir.resolve("mnist_test.csv").toString(), im.source());
    assertEquals(1, im.channels());
    assertEquals(2, im.height());
    assertEquals(2, im.width());
    assertArrayEquals(new int[] {7, 2}, im.labels());
    assertArrayEquals(new byte[] {0, 1, (byte) 254, (byte) 255, 9, 8, 7, 6}, im.pixels());
  }

  @Test
  void theTrainSplitReadsMnistTrainCsvAndStopsAtTheLimit() throws Exception {
    Files.writeString(dir.resolve("mnist_train.csv"), "1,10\n2,20\n3,30\n");
    LabelledImages im = new MnistCsv().open(request(dir, DatasetSplit.TRAIN, new long[] {-1, 1, 1, 1}, 2));
    assertArrayEquals(new int[] {1, 2}, im.labels());
    assertArrayEquals(new byte[] {10, 20}, im.pixels());
  }

  @Test
  void aLineOfTheWrongLengthNamesTheFileTheLineAndTheExpectedCount() throws Exception {
    Files.writeString(dir.resolve("mnist_test.csv"), "1,1,2,3,4\n2,1,2,3\n");
    DatasetException e = assertThrows(DatasetException.class,
        () -> new MnistCsv().open(request(dir, DatasetSplit.TEST, new long[] {-1, 1, 2, 2}, 100)));
    assertEquals(dir.resolve("mnist_test.csv") + ": line 2: expected 1 label and 4 pixels (1x2x2 from the input "
        + "shape), found 4 values", e.getMessage());
  }

  @Test
  void aPixelOutsideTheByteRangeOrNotANumberIsAnError() throws Exception {
    Files.writeString(dir.resolve("mnist_test.csv"), "1,256\n");
    assertEquals(dir.resolve("mnist_test.csv") + ": line 1: pixel 0 is 256, expected 0..255",
        assertThrows(DatasetException.class,
            () -> new MnistCsv().open(request(dir, DatasetSplit.TEST, new long[] {-1, 1, 1, 1}, 9))).getMessage());
    Files.writeString(dir.resolve("mnist_test.csv"), "1,2\n3,x\n");
    assertEquals(dir.resolve("mnist_test.csv") + ": line 2: pixel 0 is 'x', expected an integer 0..255",
        assertThrows(DatasetException.class,
            () -> new MnistCsv().open(request(dir, DatasetSplit.TEST, new long[] {-1, 1, 1, 1}, 9))).getMessage());
  }

  @Test
  void aMissingFileOrAFileWithoutImagesIsAnError() throws Exception {
    assertEquals(dir + ": expected the file mnist_test.csv, found none", assertThrows(DatasetException.class,
        () -> new MnistCsv().open(request(dir, DatasetSplit.TEST, new long[] {-1, 1, 1, 1}, 9))).getMessage());
    Files.writeString(dir.resolve("mnist_test.csv"), "label,pixel0\n");
    assertEquals(dir.resolve("mnist_test.csv") + ": expected at least one image line, found none",
        assertThrows(DatasetException.class,
            () -> new MnistCsv().open(request(dir, DatasetSplit.TEST, new long[] {-1, 1, 1, 1}, 9))).getMessage());
  }
}
