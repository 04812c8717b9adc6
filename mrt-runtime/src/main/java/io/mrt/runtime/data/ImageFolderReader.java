package io.mrt.runtime.data;

import io.mrt.runtime.InputLimits;
import io.mrt.runtime.MrtException;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Reads a folder of images per class: {@code root/<class>/<image>}. The class folders, sorted by
 * name, give the labels 0, 1, ...; the images in each, sorted by name, are decoded with {@code
 * javax.imageio} (PNG, JPEG, BMP, GIF). Hidden entries (names starting with {@code .}) are
 * skipped; any other file that is not a readable image is an error naming it.
 *
 * <p>Pixels become 1 channel (grey) or 3 (RGB) as asked. A grey image keeps its sample values (a
 * 16-bit sample keeps its high byte); a colour image made grey uses the ITU-R 601 luma with the
 * rounding of Pillow's {@code convert("L")}: {@code (19595 R + 38470 G + 7471 B + 32768) >> 16}.
 * An image of another size is resized bilinearly (pixel centres aligned, as OpenCV's
 * {@code INTER_LINEAR}), rounding to the nearest integer.
 */
public final class ImageFolderReader {
  /** The largest image accepted, in pixels (width x height), checked before decoding. */
  public static final long MAX_PIXELS = 1L << 26;

  private ImageFolderReader() {}

  /** Reads every image under {@code root} as {@code channels x height x width} uint8 pixels. */
  public static ImageSet read(Path root, int channels, int height, int width) {
    if (channels != 1 && channels != 3) {
      throw new MrtException(root + ": an image folder gives 1 (grey) or 3 (RGB) channels, asked for " + channels);
    }
    if (height < 1 || width < 1) {
      throw new MrtException(root + ": image height and width must be positive, found " + height + "x" + width);
    }
    List<Path> classDirs = list(root).stream().filter(Files::isDirectory).toList();
    if (classDirs.isEmpty()) {
      throw new MrtException(root + ": expected one folder per class (root/<class>/<image>), found none");
    }
    List<String> names = new ArrayList<>();
    List<List<Path>> files = new ArrayList<>();
    long total = 0;
    for (Path dir : classDirs) {
      List<Path> images = list(dir).stream().filter(Files::isRegularFile).toList();
      if (images.isEmpty()) {
        throw new MrtException(dir + ": class folder holds no images");
      }
      names.add(dir.getFileName().toString());
      files.add(images);
      total += images.size();
    }
    int sample = channels * height * width;
    if (total * sample > IdxReader.MAX_BYTES) {
      throw new MrtException(root + ": " + total + " images of " + channels + "x" + height + "x" + width
          + " need " + total * sample + " bytes, more than the limit of " + IdxReader.MAX_BYTES);
    }
    byte[] pixels = new byte[(int) (total * sample)];
    int[] labels = new int[(int) total];
    int i = 0;
    for (int label = 0; label < files.size(); label++) {
      for (Path f : files.get(label)) {
        BufferedImage img = decode(f);
        int[] chw = toChannels(img, channels);
        int[] sized = resize(chw, channels, img.getHeight(), img.getWidth(), height, width);
        for (int k = 0; k < sample; k++) {
          pixels[i * sample + k] = (byte) sized[k];
        }
        labels[i++] = label;
      }
    }
    return new ImageSet(root.toString(), channels, height, width, pixels, labels, names);
  }

  private static List<Path> list(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList();
    } catch (NoSuchFileException e) {
      throw new MrtException(dir + ": no such folder");
    } catch (NotDirectoryException e) {
      throw new MrtException(dir + ": expected a folder, found a file");
    } catch (IOException e) {
      throw new MrtException(dir + ": cannot list: " + e, e);
    }
  }

  private static BufferedImage decode(Path f) {
    InputLimits.requireRegularFile(f, "image file");
    try (ImageInputStream in = ImageIO.createImageInputStream(f.toFile())) {
      if (in == null) {
        throw new MrtException(f + ": cannot open");
      }
      Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
      if (!readers.hasNext()) {
        throw new MrtException(f + ": expected an image (PNG, JPEG, BMP or GIF), found a file ImageIO cannot decode");
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(in, true, true);
        long w = reader.getWidth(0);
        long h = reader.getHeight(0);
        if (w < 1 || h < 1 || w * h > MAX_PIXELS) {
          throw new MrtException(f + ": image size " + w + "x" + h + " is outside 1 to " + MAX_PIXELS + " pixels");
        }
        return reader.read(0);
      } finally {
        reader.dispose();
      }
    } catch (IOException | RuntimeException e) {
      if (e instanceof MrtException m) {
        throw m;
      }
      throw new MrtException(f + ": cannot decode image: " + e.getMessage(), e);
    }
  }

  /** The image's pixels as {@code channels x h x w} values 0..255. */
  static int[] toChannels(BufferedImage img, int channels) {
    int h = img.getHeight();
    int w = img.getWidth();
    int[] out = new int[channels * h * w];
    Raster raster = img.getRaster();
    boolean grey = raster.getNumBands() == 1 && !(img.getColorModel() instanceof IndexColorModel);
    if (grey) {
      int shift = Math.max(0, raster.getSampleModel().getSampleSize(0) - 8);
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          int v = raster.getSample(x, y, 0) >> shift;
          for (int c = 0; c < channels; c++) {
            out[(c * h + y) * w + x] = v;
          }
        }
      }
      return out;
    }
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int rgb = img.getRGB(x, y);
        int r = (rgb >> 16) & 0xFF;
        int g = (rgb >> 8) & 0xFF;
        int b = rgb & 0xFF;
        if (channels == 1) {
          out[y * w + x] = (19595 * r + 38470 * g + 7471 * b + 0x8000) >> 16;
        } else {
          out[y * w + x] = r;
          out[(h + y) * w + x] = g;
          out[(2 * h + y) * w + x] = b;
        }
      }
    }
    return out;
  }

  /** Bilinear resize of CHW values with aligned pixel centres; returns the input when sizes match. */
  static int[] resize(int[] src, int channels, int sh, int sw, int dh, int dw) {
    if (sh == dh && sw == dw) {
      return src;
    }
    int[] out = new int[channels * dh * dw];
    for (int y = 0; y < dh; y++) {
      double fy = Math.min(Math.max((y + 0.5) * sh / dh - 0.5, 0), sh - 1);
      int y0 = (int) fy;
      int y1 = Math.min(y0 + 1, sh - 1);
      double wy = fy - y0;
      for (int x = 0; x < dw; x++) {
        double fx = Math.min(Math.max((x + 0.5) * sw / dw - 0.5, 0), sw - 1);
        int x0 = (int) fx;
        int x1 = Math.min(x0 + 1, sw - 1);
        double wx = fx - x0;
        for (int c = 0; c < channels; c++) {
          int base = c * sh * sw;
          double top = src[base + y0 * sw + x0] * (1 - wx) + src[base + y0 * sw + x1] * wx;
          double bottom = src[base + y1 * sw + x0] * (1 - wx) + src[base + y1 * sw + x1] * wx;
          out[(c * dh + y) * dw + x] = (int) Math.round(top * (1 - wy) + bottom * wy);
        }
      }
    }
    return out;
  }
}
