package io.mrt.runtime.data;

import io.mrt.runtime.MrtException;
import io.mrt.runtime.io.recordio.ImageRecord;
import io.mrt.runtime.io.recordio.RecordIo;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * MRT's {@code imagenet} data set: MXNet indexed RecordIO ({@code rec/val.rec} + {@code rec/val.idx},
 * or {@code train.*}) read as MXNet's {@code ImageRecordIter} reads it for MRT: each JPEG decoded to
 * RGB, the shorter side resized to {@code ceil(H / 0.875)} (the longer one to
 * {@code resize * long / short}, integer division) with bilinear interpolation as OpenCV's
 * {@code INTER_LINEAR} computes it for 8-bit images, then the center {@code H x W} crop (offsets
 * {@code (rows - H) / 2}, {@code (cols - W) / 2}). The pixels stay 0..255; MRT's mean
 * (123.68, 116.779, 103.939) and std (58.393, 57.12, 57.375) are applied by the preprocessing.
 *
 * <p>JPEG decoding uses the JDK's ImageIO decoder; OpenCV's libjpeg decoder (MXNet's) can differ
 * from it by a rounding step on some pixels, so inputs are equal to MXNet's up to that decoder
 * difference.
 */
public final class ImageNetReader {
  /** MRT's crop ratio: the resize target is ceil(H / 0.875). */
  public static final double CROP_RATIO = 0.875;
  /** MRT's ImageNet channel means on 0..255 RGB. */
  public static final double[] MEAN_RGB = {123.68, 116.779, 103.939};
  /** MRT's ImageNet channel standard deviations on 0..255 RGB. */
  public static final double[] STD_RGB = {58.393, 57.12, 57.375};
  /** The most images read into one set (bounds memory: 3 x 224 x 224 bytes each). */
  public static final int MAX_IMAGES = 100_000;

  private ImageNetReader() {}

  /** Reads every record of {@code rec}/{@code idx} (index order) as {@code 3 x height x width} images. */
  public static ImageSet read(Path rec, Path idx, int height, int width) {
    return read(rec, idx, height, width, Integer.MAX_VALUE);
  }

  /** Reads the first {@code limit} records of the index. */
  public static ImageSet read(Path rec, Path idx, int height, int width, int limit) {
    List<RecordIo.IndexEntry> index = RecordIo.readIndex(idx);
    int n = Math.min(index.size(), limit);
    if (n > MAX_IMAGES) {
      throw new MrtException(idx + ": " + n + " records, at most " + MAX_IMAGES + " are read into memory");
    }
    if (n == 0) {
      throw new MrtException(idx + ": the index lists no record");
    }
    int resize = (int) Math.ceil(height / CROP_RATIO);
    int sample = 3 * height * width;
    byte[] pixels = new byte[Math.multiplyExact(n, sample)];
    int[] labels = new int[n];
    try (RecordIo.Reader reader = new RecordIo.Reader(rec)) {
      for (int i = 0; i < n; i++) {
        ImageRecord r = reader.image(index.get(i).offset());
        float label = r.label();
        if (label < 0 || label != Math.rint(label) || label > Integer.MAX_VALUE) {
          throw new MrtException(rec + ": record " + r.id() + ": expected a class index as label, found " + label);
        }
        labels[i] = (int) label;
        int[] rgb = decode(rec, r);
        int h = rgb[0];
        int w = rgb[1];
        int[] resized = resizeShorter(rgb, h, w, resize);
        int rh = resized[0];
        int rw = resized[1];
        if (rh < height || rw < width) {
          throw new MrtException(rec + ": record " + r.id() + ": resized to " + rw + "x" + rh
              + ", smaller than the crop " + width + "x" + height);
        }
        int y0 = (rh - height) / 2;
        int x0 = (rw - width) / 2;
        int base = i * sample;
        for (int c = 0; c < 3; c++) {
          for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
              pixels[base + (c * height + y) * width + x] = (byte) resized[2 + ((y0 + y) * rw + x0 + x) * 3 + c];
            }
          }
        }
      }
    }
    return new ImageSet(rec.toString(), 3, height, width, pixels, labels, List.of());
  }

  /** Decodes to {h, w, r, g, b, r, g, b, ...} (row-major, interleaved RGB). */
  static int[] decode(Path rec, ImageRecord r) {
    BufferedImage img;
    try {
      img = ImageIO.read(new ByteArrayInputStream(r.image()));
    } catch (IOException e) {
      throw new MrtException(rec + ": record " + r.id() + ": cannot decode the image: " + e.getMessage(), e);
    }
    if (img == null) {
      throw new MrtException(rec + ": record " + r.id() + ": the image bytes are not JPEG or PNG");
    }
    int h = img.getHeight();
    int w = img.getWidth();
    if ((long) h * w > ImageFolderReader.MAX_PIXELS) {
      throw new MrtException(rec + ": record " + r.id() + ": image " + w + "x" + h + " has more than "
          + ImageFolderReader.MAX_PIXELS + " pixels");
    }
    int[] argb = img.getRGB(0, 0, w, h, null, 0, w);
    int[] out = new int[2 + 3 * h * w];
    out[0] = h;
    out[1] = w;
    for (int i = 0; i < argb.length; i++) {
      out[2 + 3 * i] = (argb[i] >> 16) & 0xff;
      out[2 + 3 * i + 1] = (argb[i] >> 8) & 0xff;
      out[2 + 3 * i + 2] = argb[i] & 0xff;
    }
    return out;
  }

  /** MXNet's shorter-side resize: {h', w', pixels...}; the identity when the shorter side already fits. */
  static int[] resizeShorter(int[] rgb, int h, int w, int resize) {
    int nh;
    int nw;
    if (h > w) {
      nw = resize;
      nh = (int) ((long) resize * h / w);
    } else {
      nh = resize;
      nw = (int) ((long) resize * w / h);
    }
    if (nh == h && nw == w) {
      return rgb;
    }
    return Bilinear.resize(rgb, h, w, nh, nw);
  }
}
