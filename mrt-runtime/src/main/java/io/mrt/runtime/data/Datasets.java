package io.mrt.runtime.data;

import io.mrt.runtime.MrtException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Opens a dataset by its name (MRT's {@code DATASET_NAME}) and folder ({@code DATASET_DIR}):
 * <ul>
 *   <li>{@code mnist}, {@code fashion_mnist}: IDX files {@code t10k-images-idx3-ubyte} and
 *       {@code t10k-labels-idx1-ubyte} (test) or {@code train-*} (train), each raw or with
 *       {@code .gz};
 *   <li>{@code cifar10}: CIFAR-10 binary {@code test_batch.bin} (test) or {@code data_batch_1.bin}
 *       .. {@code data_batch_5.bin} (train), in the folder or its {@code cifar-10-batches-bin};
 *   <li>{@code image_folder}: {@code <dir>/<class>/<image>}, or {@code <dir>/test/<class>/...}
 *       ({@code val} also accepted) and {@code <dir>/train/<class>/...} when those exist; the
 *       images are brought to the channels, height and width of the rank-4 input shape.
 * </ul>
 */
public final class Datasets {
  /** The dataset names understood. */
  public static final List<String> NAMES = List.of("imagenet", "cifar10", "mnist", "fashion_mnist", "stdrandom",
      "image_folder", "voc", "coco", "quickdraw", "trec");

  /**
   * The pixel normalisation a data set implies when the config sets none: {@code x = (p * scale -
   * mean) / std} per channel.
   */
  public record Normalization(double scale, double[] mean, double[] std) {}

  /** MRT's default folder of a data set: {@code ~/.mxnet/datasets/<name>}. */
  public static Path defaultDir(String name) {
    return Path.of(System.getProperty("user.home"), ".mxnet", "datasets", key(name));
  }

  private static String key(String name) {
    return name.trim().toLowerCase(Locale.ROOT).replace('-', '_');
  }

  /**
   * The normalisation MRT applies to the data set: imagenet (0..255 RGB, MRT's mean and std),
   * stdrandom (pixels to [-1, 1]); empty for the others (the config's SCALE, MEAN, STD or 1/255).
   */
  public static java.util.Optional<Normalization> normalization(String name) {
    return switch (key(name)) {
      case "imagenet" -> java.util.Optional.of(new Normalization(1.0, ImageNetReader.MEAN_RGB.clone(),
          ImageNetReader.STD_RGB.clone()));
      case "stdrandom" -> java.util.Optional.of(new Normalization(1 / 127.5, new double[] {1}, new double[] {1}));
      default -> java.util.Optional.empty();
    };
  }

  /** Throws unless {@code name} is a data set of the catalogue. */
  public static void checkName(String name) {
    if (!NAMES.contains(key(name))) {
      throw new MrtException("CALIBRATE.DATASET_NAME: unknown data set '" + name + "'; expected one of "
          + String.join(", ", NAMES));
    }
  }

  private Datasets() {}

  /** Reads the named dataset; {@code preprocessing} gives the image size for {@code image_folder}. */
  public static ImageSet load(String name, Path dir, Split split, Preprocessing preprocessing) {
    return load(name, dir, split, preprocessing, Integer.MAX_VALUE);
  }

  /**
   * Reads at most {@code limit} samples of the named dataset where the format allows reading a
   * prefix (imagenet: the first {@code limit} records of the index), else all of it.
   */
  public static ImageSet load(String name, Path dir, Split split, Preprocessing preprocessing, int limit) {
    String key = key(name);
    checkName(name);
    if (key.equals("stdrandom")) {
      return StdRandom.images(preprocessing);
    }
    if (!Files.isDirectory(dir)) {
      throw new MrtException("dataset " + key + ": folder " + dir + ": " + (Files.exists(dir) ? "is not a folder"
          : "no such folder") + "; expected " + layout(key, split));
    }
    return switch (key) {
      case "mnist", "fashion_mnist" -> loadIdx(dir, split);
      case "cifar10" -> loadCifar(dir, split);
      case "image_folder", "imagefolder" -> loadFolder(dir, split, preprocessing);
      case "imagenet" -> loadImageNet(dir, split, preprocessing, limit);
      default -> throw new MrtException("dataset " + key + ": " + dir + ": expected " + layout(key, split)
          + "; this data set is recognised but its reader is not part of this build");
    };
  }

  /** The files MRT reads for a data set, below its folder. */
  static String layout(String key, Split split) {
    String s = split == Split.TEST ? "val" : "train";
    return switch (key) {
      case "imagenet" -> "MXNet indexed RecordIO rec/" + s + ".rec and rec/" + s + ".idx (the im2rec layout)";
      case "mnist", "fashion_mnist" -> "IDX files " + (split == Split.TEST ? "t10k" : "train")
          + "-images-idx3-ubyte(.gz) and -labels-idx1-ubyte(.gz)";
      case "cifar10" -> "CIFAR-10 binary cifar-10-batches-bin/" + (split == Split.TEST ? "test_batch.bin"
          : "data_batch_1.bin .. data_batch_5.bin");
      case "voc" -> "Pascal VOC 2007 as GluonCV's VOCDetection reads it: VOC2007/ImageSets/Main/"
          + (split == Split.TEST ? "test" : "trainval") + ".txt, VOC2007/JPEGImages/<id>.jpg, "
          + "VOC2007/Annotations/<id>.xml (metric: VOC07 11-point mAP)";
      case "coco" -> "COCO 2017 as GluonCV's COCODetection reads it: annotations/instances_" + s
          + "2017.json and " + s + "2017/<image id>.jpg (metric: COCO mAP)";
      case "quickdraw" -> "MRT's QuickDraw arrays quickdraw_X" + (split == Split.TEST ? "_test" : "")
          + ".npy and quickdraw_y" + (split == Split.TEST ? "_test" : "") + ".npy (metric: top-1)";
      case "trec" -> "MRT's TREC question set TREC." + (split == Split.TEST ? "test" : "train")
          + ".pk (metric: top-1)";
      case "image_folder", "imagefolder" -> "<class>/<image> folders (or test/ and train/ holding them)";
      default -> "no files";
    };
  }

  private static ImageSet loadImageNet(Path dir, Split split, Preprocessing preprocessing, int limit) {
    long[] s = preprocessing.inputShape();
    if (s.length != 4 || preprocessing.layout() != Layout.NCHW || s[1] != 3) {
      throw new MrtException("dataset imagenet: needs an input shape (-1, 3, H, W) in NCHW, found "
          + java.util.Arrays.toString(s) + " " + preprocessing.layout());
    }
    String stem = split == Split.TEST ? "val" : "train";
    for (Path base : List.of(dir.resolve("rec"), dir)) {
      Path rec = base.resolve(stem + ".rec");
      Path idx = base.resolve(stem + ".idx");
      if (Files.isRegularFile(rec) && Files.isRegularFile(idx)) {
        return ImageNetReader.read(rec, idx, (int) s[2], (int) s[3], limit);
      }
    }
    throw new MrtException("dataset imagenet: " + dir + ": expected " + dir.resolve("rec/" + stem + ".rec") + " and "
        + dir.resolve("rec/" + stem + ".idx") + " (MXNet indexed RecordIO, the im2rec layout; " + stem
        + ".rec/.idx directly in the folder also accepted), found neither pair");
  }

  private static ImageSet loadIdx(Path dir, Split split) {
    String prefix = split == Split.TEST ? "t10k" : "train";
    Path images = find(dir, prefix + "-images-idx3-ubyte");
    Path labels = find(dir, prefix + "-labels-idx1-ubyte");
    return IdxReader.readImageSet(images, labels);
  }

  private static Path find(Path dir, String stem) {
    for (String name : List.of(stem, stem + ".gz")) {
      Path p = dir.resolve(name);
      if (Files.isRegularFile(p)) {
        return p;
      }
    }
    throw new MrtException(dir + ": expected the file " + stem + " or " + stem + ".gz, found neither");
  }

  private static ImageSet loadCifar(Path dir, Split split) {
    Path base = Files.isDirectory(dir.resolve("cifar-10-batches-bin")) ? dir.resolve("cifar-10-batches-bin") : dir;
    List<Path> files = new ArrayList<>();
    if (split == Split.TEST) {
      files.add(base.resolve("test_batch.bin"));
    } else {
      for (int i = 1; i <= 5; i++) {
        files.add(base.resolve("data_batch_" + i + ".bin"));
      }
    }
    for (Path f : files) {
      if (!Files.isRegularFile(f)) {
        throw new MrtException(base + ": expected the CIFAR-10 binary file " + f.getFileName() + ", found none");
      }
    }
    return Cifar10Reader.read(files);
  }

  private static ImageSet loadFolder(Path dir, Split split, Preprocessing preprocessing) {
    long[] s = preprocessing.inputShape();
    if (s.length != 4) {
      throw new MrtException("dataset image_folder: needs a rank-4 input shape to size the images, found rank " + s.length);
    }
    boolean nchw = preprocessing.layout() == Layout.NCHW;
    int c = (int) (nchw ? s[1] : s[3]);
    int h = (int) (nchw ? s[2] : s[1]);
    int w = (int) (nchw ? s[3] : s[2]);
    Path root = dir;
    List<String> subs = split == Split.TEST ? List.of("test", "val") : List.of("train");
    for (String sub : subs) {
      if (Files.isDirectory(dir.resolve(sub))) {
        root = dir.resolve(sub);
        break;
      }
    }
    return ImageFolderReader.read(root, c, h, w);
  }
}
