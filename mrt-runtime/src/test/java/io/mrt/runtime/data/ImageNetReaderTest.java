package io.mrt.runtime.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mrt.runtime.MrtException;
import io.mrt.runtime.io.recordio.ImageRecord;
import io.mrt.runtime.io.recordio.RecordIo;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MRT's imagenet data set on synthetic RecordIO files (PNG payloads, so the pixels are exact):
 * shorter side resized to ceil(H / 0.875), center crop, RGB channel-major, labels from the header.
 */
class ImageNetReaderTest {
  @TempDir Path dir;

  /** An image whose pixel (x, y) is (r, g, b) = (x + 10 y, 100 + x, 200 - y). */
  private static byte[] png(int w, int h) throws Exception {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        img.setRGB(x, y, ((x + 10 * y) << 16) | ((100 + x) << 8) | (200 - y));
      }
    }
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    ImageIO.write(img, "png", b);
    return b.toByteArray();
  }

  private Path writeRec(Path folder, List<ImageRecord> records) throws Exception {
    Files.createDirectories(folder.resolve("rec"));
    try (var os = Files.newOutputStream(folder.resolve("rec/val.rec"))) {
      Files.writeString(folder.resolve("rec/val.idx"), RecordIo.writeImages(os, records));
    }
    return folder;
  }

  @Test
  void shorterSideAlreadyAtTheResizeTargetIsCroppedInTheCenter() throws Exception {
    // H = W = 7: resize target ceil(7 / 0.875) = 8; an 10x8 image keeps its size, crop x0 = 1, y0 = 0
    Path d = writeRec(dir, List.of(new ImageRecord(0, 42f, png(10, 8))));
    ImageSet s = Datasets.load("imagenet", d, Split.TEST, new Preprocessing(1, new double[] {0}, new double[] {1},
        Layout.NCHW, new long[] {-1, 3, 7, 7}));
    assertEquals(1, s.count());
    assertEquals(42, s.label(0));
    float[] px = new float[3 * 7 * 7];
    new Preprocessing(1, new double[] {0}, new double[] {1}, Layout.NCHW, new long[] {-1, 3, 7, 7}).fill(s, 0, 1, px);
    assertEquals(1 + 10 * 0, px[0], "R at crop (0, 0) = image (1, 0)");
    assertEquals(7 + 10 * 6, px[6 * 7 + 6], "R at crop (6, 6) = image (7, 6)");
    assertEquals(100 + 1, px[49], "G at crop (0, 0)");
    assertEquals(200 - 6, px[2 * 49 + 6 * 7], "B at crop (0, 6)");
  }

  @Test
  void aLargerImageIsHalvedWithOpenCvsBilinearRounding() throws Exception {
    // 16x16 to the resize target 8 (H = W = 7): each output pixel is floor((a + b + c + d + 2) / 4) of
    // a 2x2 block; crop offsets (8 - 7) / 2 = 0
    Path d = writeRec(dir, List.of(new ImageRecord(5, 1f, png(16, 16))));
    Preprocessing p = new Preprocessing(1, new double[] {0}, new double[] {1}, Layout.NCHW, new long[] {-1, 3, 7, 7});
    ImageSet s = Datasets.load("imagenet", d, Split.TEST, p);
    float[] px = new float[3 * 49];
    p.fill(s, 0, 1, px);
    for (int y = 0; y < 7; y++) {
      for (int x = 0; x < 7; x++) {
        int sum = 0;
        for (int k = 0; k < 4; k++) {
          sum += (2 * x + k % 2) + 10 * (2 * y + k / 2);
        }
        assertEquals((sum + 2) / 4, (int) px[y * 7 + x], "R at (" + x + ", " + y + ")");
      }
    }
  }

  @Test
  void mrtsMeanAndStdApplyWhenTheConfigSetsNone() {
    io.mrt.api.data.Normalization n = Datasets.normalization("imagenet").orElseThrow();
    assertEquals(1.0, n.scale());
    assertArrayEquals(new double[] {123.68, 116.779, 103.939}, n.mean());
    assertArrayEquals(new double[] {58.393, 57.12, 57.375}, n.std());
    assertEquals(Path.of(System.getProperty("user.home"), ".mxnet", "datasets", "imagenet"),
        Datasets.defaultDir("imagenet"));
  }

  @Test
  void missingRecordIoFilesNameTheExpectedPaths() throws Exception {
    Path empty = Files.createDirectories(dir.resolve("imagenet"));
    Preprocessing p = new Preprocessing(1, new double[] {0}, new double[] {1}, Layout.NCHW, new long[] {-1, 3, 224, 224});
    MrtException e = assertThrows(MrtException.class, () -> Datasets.load("imagenet", empty, Split.TEST, p));
    assertEquals("dataset imagenet: " + empty + ": expected " + empty.resolve("rec/val.rec") + " and "
        + empty.resolve("rec/val.idx") + " (MXNet indexed RecordIO, the im2rec layout; val.rec/.idx directly in the "
        + "folder also accepted), found neither pair", e.getMessage());
    Path absent = dir.resolve("nowhere");
    MrtException f = assertThrows(MrtException.class, () -> Datasets.load("imagenet", absent, Split.TEST, p));
    assertEquals("dataset imagenet: folder " + absent + ": no such folder; expected MXNet indexed RecordIO "
        + "rec/val.rec and rec/val.idx (the im2rec layout)", f.getMessage());
  }

  @Test
  void vocCocoQuickdrawAndTrecAreRecognisedAndNameTheirFiles() throws Exception {
    Preprocessing p = new Preprocessing(1, new double[] {0}, new double[] {1}, Layout.NCHW, new long[] {-1, 3, 416, 416});
    Path voc = Files.createDirectories(dir.resolve("voc"));
    assertEquals("dataset voc: " + voc + ": expected Pascal VOC 2007 as GluonCV's VOCDetection reads it: "
        + "VOC2007/ImageSets/Main/test.txt, VOC2007/JPEGImages/<id>.jpg, VOC2007/Annotations/<id>.xml "
        + "(metric: VOC07 11-point mAP); this data set is recognised but its reader is not part of this build",
        assertThrows(MrtException.class, () -> Datasets.load("voc", voc, Split.TEST, p)).getMessage());
    Path trec = dir.resolve("trec");
    assertEquals("dataset trec: folder " + trec + ": no such folder; expected MRT's TREC question set TREC.test.pk "
        + "(metric: top-1)", assertThrows(MrtException.class, () -> Datasets.load("trec", trec, Split.TEST, p))
        .getMessage());
    assertEquals("dataset coco: folder " + dir.resolve("c") + ": no such folder; expected COCO 2017 as GluonCV's "
        + "COCODetection reads it: annotations/instances_val2017.json and val2017/<image id>.jpg (metric: COCO mAP)",
        assertThrows(MrtException.class, () -> Datasets.load("coco", dir.resolve("c"), Split.TEST, p)).getMessage());
    assertEquals("dataset quickdraw: folder " + dir.resolve("q") + ": no such folder; expected MRT's QuickDraw "
        + "arrays quickdraw_X_test.npy and quickdraw_y_test.npy (metric: top-1)",
        assertThrows(MrtException.class, () -> Datasets.load("quickdraw", dir.resolve("q"), Split.TEST, p))
            .getMessage());
    assertEquals("CALIBRATE.DATASET_NAME: unknown data set 'imagenett'; known: imagenet, cifar10, mnist, "
        + "fashion_mnist, stdrandom, image_folder, voc, coco, quickdraw, trec (did you mean 'imagenet'?)",
        assertThrows(MrtException.class, () -> Datasets.load("imagenett", voc, Split.TEST, p)).getMessage());
  }

  @Test
  void stdrandomIsSeededUniformPixelsOfTheInputShape() {
    Preprocessing p = new Preprocessing(1 / 127.5, new double[] {1}, new double[] {1}, Layout.NCHW,
        new long[] {-1, 3, 32, 32});
    ImageSet a = Datasets.load("stdrandom", dir.resolve("unused"), Split.TEST, p);
    ImageSet b = Datasets.load("stdrandom", dir.resolve("unused"), Split.TEST, p);
    assertEquals(1024, a.count());
    assertEquals(32, a.height());
    float[] x = new float[3 * 32 * 32 * 4];
    float[] y = new float[x.length];
    p.fill(a, 0, 4, x);
    p.fill(b, 0, 4, y);
    assertArrayEquals(x, y);
    float min = 9;
    float max = -9;
    for (float v : x) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    assertEquals(-1f, min, 1e-6);
    assertEquals(1f, max, 1e-6);
  }
}
