package io.mrt.runtime.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mrt.runtime.MrtException;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFolderReaderTest {
  @TempDir Path dir;

  private static void png(Path file, int w, int h, int rgb) throws Exception {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        img.setRGB(x, y, rgb);
      }
    }
    Files.createDirectories(file.getParent());
    ImageIO.write(img, "png", file.toFile());
  }

  private static void greyPng(Path file, int[][] values) throws Exception {
    BufferedImage img = new BufferedImage(values[0].length, values.length, BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < values.length; y++) {
      for (int x = 0; x < values[0].length; x++) {
        img.getRaster().setSample(x, y, 0, values[y][x]);
      }
    }
    Files.createDirectories(file.getParent());
    ImageIO.write(img, "png", file.toFile());
  }

  @Test
  void classFoldersSortedByNameGiveTheLabels() throws Exception {
    png(dir.resolve("dog/b.png"), 2, 2, 0x102030);
    png(dir.resolve("dog/a.png"), 2, 2, 0x405060);
    png(dir.resolve("cat/x.png"), 2, 2, 0xFF0080);
    Files.writeString(dir.resolve("dog/.DS_Store"), "hidden files are skipped");
    ImageSet set = ImageFolderReader.read(dir, 3, 2, 2);
    assertEquals(List.of("cat", "dog"), set.classNames());
    assertArrayEquals(new int[] {0, 1, 1}, set.labels());
    // cat/x.png, then dog/a.png, then dog/b.png
    assertArrayEquals(new int[] {255, 0, 128}, new int[] {set.pixel(0, 0, 1, 1), set.pixel(0, 1, 1, 1), set.pixel(0, 2, 1, 1)});
    assertArrayEquals(new int[] {0x40, 0x50, 0x60}, new int[] {set.pixel(1, 0, 0, 0), set.pixel(1, 1, 0, 0), set.pixel(1, 2, 0, 0)});
    assertArrayEquals(new int[] {0x10, 0x20, 0x30}, new int[] {set.pixel(2, 0, 0, 1), set.pixel(2, 1, 0, 1), set.pixel(2, 2, 0, 1)});
  }

  @Test
  void greyImagesKeepTheirSampleValues() throws Exception {
    greyPng(dir.resolve("zero/a.png"), new int[][] {{0, 17, 255}, {1, 128, 254}});
    ImageSet set = ImageFolderReader.read(dir, 1, 2, 3);
    assertArrayEquals(new int[] {0, 17, 255, 1, 128, 254}, new int[] {
        set.pixel(0, 0, 0, 0), set.pixel(0, 0, 0, 1), set.pixel(0, 0, 0, 2),
        set.pixel(0, 0, 1, 0), set.pixel(0, 0, 1, 1), set.pixel(0, 0, 1, 2)});
  }

  @Test
  void colourImagesBecomeGreyWithPillowsLuma() throws Exception {
    png(dir.resolve("a/1.png"), 1, 1, 0xFF0080); // R 255, G 0, B 128
    ImageSet set = ImageFolderReader.read(dir, 1, 1, 1);
    // (19595*255 + 38470*0 + 7471*128 + 32768) >> 16 = 5985781 >> 16 = 91
    assertEquals(91, set.pixel(0, 0, 0, 0));
  }

  @Test
  void imagesOfAnotherSizeAreResizedBilinearly() throws Exception {
    greyPng(dir.resolve("a/1.png"), new int[][] {{0, 100}});
    ImageSet set = ImageFolderReader.read(dir, 1, 1, 4);
    // source x for dest x = (x + 0.5) / 2 - 0.5 clamped: 0, 0.25, 0.75, 1 -> 0, 25, 75, 100
    assertArrayEquals(new int[] {0, 25, 75, 100},
        new int[] {set.pixel(0, 0, 0, 0), set.pixel(0, 0, 0, 1), set.pixel(0, 0, 0, 2), set.pixel(0, 0, 0, 3)});
  }

  @Test
  void aFileThatIsNotAnImageIsNamed() throws Exception {
    png(dir.resolve("a/1.png"), 1, 1, 0);
    Path bad = Files.writeString(dir.resolve("a/notes.txt"), "not an image");
    MrtException e = assertThrows(MrtException.class, () -> ImageFolderReader.read(dir, 3, 1, 1));
    assertEquals(bad + ": expected an image (PNG, JPEG, BMP or GIF), found a file ImageIO cannot decode", e.getMessage());
  }

  @Test
  void aFolderWithoutClassFoldersIsRefused() throws Exception {
    png(dir.resolve("1.png"), 1, 1, 0);
    MrtException e = assertThrows(MrtException.class, () -> ImageFolderReader.read(dir, 3, 1, 1));
    assertEquals(dir + ": expected one folder per class (root/<class>/<image>), found none", e.getMessage());
  }

  @Test
  void datasetsPicksTheTestSubfolderAndTheSizeFromTheInputShape() throws Exception {
    png(dir.resolve("train/a/1.png"), 4, 4, 0x010203);
    png(dir.resolve("test/a/1.png"), 4, 4, 0x0A0B0C);
    png(dir.resolve("test/b/1.png"), 4, 4, 0x0D0E0F);
    ImageSet set = Datasets.load("image_folder", dir, Split.TEST,
        new Preprocessing(1, new double[] {0}, new double[] {1}, Layout.NHWC, new long[] {-1, 4, 4, 3}));
    assertEquals(2, set.count());
    assertEquals(3, set.channels());
    assertEquals(0x0B, set.pixel(0, 1, 3, 3));
    assertEquals(0x0F, set.pixel(1, 2, 0, 0));
  }

  @Test
  void unknownDatasetNameListsTheKnownOnes() {
    MrtException e = assertThrows(MrtException.class, () -> Datasets.load("imagenett", dir, Split.TEST,
        Preprocessing.divideBy255(-1, 3, 224, 224)));
    assertEquals("CALIBRATE.DATASET_NAME: unknown data set 'imagenett'; known: imagenet, cifar10, mnist, "
        + "fashion_mnist, stdrandom, image_folder, voc, coco, quickdraw, trec (did you mean 'imagenet'?)", e.getMessage());
  }
}
