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
  public static final List<String> NAMES = List.of("mnist", "fashion_mnist", "cifar10", "image_folder");

  private Datasets() {}

  /** Reads the named dataset; {@code preprocessing} gives the image size for {@code image_folder}. */
  public static ImageSet load(String name, Path dir, Split split, Preprocessing preprocessing) {
    String key = name.trim().toLowerCase(Locale.ROOT).replace('-', '_');
    if (!Files.isDirectory(dir)) {
      throw new MrtException("dataset folder " + dir + ": " + (Files.exists(dir) ? "is not a folder" : "no such folder"));
    }
    return switch (key) {
      case "mnist", "fashion_mnist" -> loadIdx(dir, split);
      case "cifar10" -> loadCifar(dir, split);
      case "image_folder", "imagefolder" -> loadFolder(dir, split, preprocessing);
      default -> throw new MrtException("dataset name '" + name + "': expected one of " + String.join(", ", NAMES));
    };
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
