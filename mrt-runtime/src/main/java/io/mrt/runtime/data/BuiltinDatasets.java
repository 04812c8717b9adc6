package io.mrt.runtime.data;

import io.mrt.api.data.DatasetProvider;
import io.mrt.api.data.DatasetRequest;
import io.mrt.api.data.DatasetSplit;
import io.mrt.api.data.LabelledImages;
import io.mrt.api.data.Normalization;
import io.mrt.runtime.MrtException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * MRT's dataset catalogue as {@link DatasetProvider}s, registered on the class path in
 * {@code META-INF/services/io.mrt.api.data.DatasetProvider} like any plugin's: imagenet, cifar10,
 * mnist, fashion_mnist, stdrandom and image_folder are read; voc, coco, quickdraw and trec are
 * recognised (their files are named) but their readers are not part of this build.
 */
public final class BuiltinDatasets {
  private BuiltinDatasets() {}

  static LabelledImages images(ImageSet s) {
    return new LabelledImages(s.source(), s.channels(), s.height(), s.width(), s.pixelsUnsafe(), s.labelsUnsafe(),
        s.classNames());
  }

  private static String stem(DatasetSplit split) {
    return split == DatasetSplit.TEST ? "val" : "train";
  }

  /** {@code imagenet}: MXNet indexed RecordIO, MRT's ImageNet preprocessing. */
  public static final class ImageNet implements DatasetProvider {
    @Override
    public String name() {
      return "imagenet";
    }

    @Override
    public String layout(DatasetSplit split) {
      return "MXNet indexed RecordIO rec/" + stem(split) + ".rec and rec/" + stem(split) + ".idx (the im2rec layout)";
    }

    @Override
    public Optional<Normalization> normalization() {
      return Optional.of(new Normalization(1.0, ImageNetReader.MEAN_RGB, ImageNetReader.STD_RGB));
    }

    @Override
    public LabelledImages open(DatasetRequest r) {
      long[] s = r.inputShape();
      if (s.length != 4 || r.channelsLast() || s[1] != 3) {
        throw new MrtException("dataset imagenet: needs an input shape (-1, 3, H, W) in NCHW, found "
            + java.util.Arrays.toString(s) + " " + (r.channelsLast() ? "NHWC" : "NCHW"));
      }
      Path dir = r.dir();
      String stem = stem(r.split());
      for (Path base : List.of(dir.resolve("rec"), dir)) {
        Path rec = base.resolve(stem + ".rec");
        Path idx = base.resolve(stem + ".idx");
        if (Files.isRegularFile(rec) && Files.isRegularFile(idx)) {
          return images(ImageNetReader.read(rec, idx, (int) s[2], (int) s[3], r.limit()));
        }
      }
      throw new MrtException("dataset imagenet: " + dir + ": expected " + dir.resolve("rec/" + stem + ".rec")
          + " and " + dir.resolve("rec/" + stem + ".idx") + " (MXNet indexed RecordIO, the im2rec layout; " + stem
          + ".rec/.idx directly in the folder also accepted), found neither pair");
    }
  }

  /** {@code mnist}: IDX files, raw or gzipped. */
  public static class Mnist implements DatasetProvider {
    @Override
    public String name() {
      return "mnist";
    }

    @Override
    public String layout(DatasetSplit split) {
      return "IDX files " + (split == DatasetSplit.TEST ? "t10k" : "train")
          + "-images-idx3-ubyte(.gz) and -labels-idx1-ubyte(.gz)";
    }

    @Override
    public LabelledImages open(DatasetRequest r) {
      String prefix = r.split() == DatasetSplit.TEST ? "t10k" : "train";
      return images(IdxReader.readImageSet(find(r.dir(), prefix + "-images-idx3-ubyte"),
          find(r.dir(), prefix + "-labels-idx1-ubyte")));
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
  }

  /** {@code fashion_mnist}: Fashion-MNIST, the same IDX files as mnist. */
  public static final class FashionMnist extends Mnist {
    @Override
    public String name() {
      return "fashion_mnist";
    }
  }

  /** {@code cifar10}: the CIFAR-10 binary batches. */
  public static final class Cifar10 implements DatasetProvider {
    @Override
    public String name() {
      return "cifar10";
    }

    @Override
    public String layout(DatasetSplit split) {
      return "CIFAR-10 binary cifar-10-batches-bin/" + (split == DatasetSplit.TEST ? "test_batch.bin"
          : "data_batch_1.bin .. data_batch_5.bin");
    }

    @Override
    public LabelledImages open(DatasetRequest r) {
      Path dir = r.dir();
      Path base = Files.isDirectory(dir.resolve("cifar-10-batches-bin")) ? dir.resolve("cifar-10-batches-bin") : dir;
      List<Path> files = new ArrayList<>();
      if (r.split() == DatasetSplit.TEST) {
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
      return images(Cifar10Reader.read(files));
    }
  }

  /** {@code image_folder} (also {@code imagefolder}): {@code <class>/<image>} folders. */
  public static final class ImageFolder implements DatasetProvider {
    @Override
    public String name() {
      return "image_folder";
    }

    @Override
    public List<String> aliases() {
      return List.of("imagefolder");
    }

    @Override
    public String layout(DatasetSplit split) {
      return "<class>/<image> folders (or test/ and train/ holding them)";
    }

    @Override
    public LabelledImages open(DatasetRequest r) {
      if (r.inputShape().length != 4) {
        throw new MrtException("dataset image_folder: needs a rank-4 input shape to size the images, found rank "
            + r.inputShape().length);
      }
      int[] chw = r.imageSize();
      Path root = r.dir();
      List<String> subs = r.split() == DatasetSplit.TEST ? List.of("test", "val") : List.of("train");
      for (String sub : subs) {
        if (Files.isDirectory(r.dir().resolve(sub))) {
          root = r.dir().resolve(sub);
          break;
        }
      }
      return images(ImageFolderReader.read(root, chw[0], chw[1], chw[2]));
    }
  }

  /** {@code stdrandom}: seeded uniform pixels of the input shape, reading no files. */
  public static final class StdRandomImages implements DatasetProvider {
    @Override
    public String name() {
      return "stdrandom";
    }

    @Override
    public String layout(DatasetSplit split) {
      return "no files";
    }

    @Override
    public boolean readsFiles() {
      return false;
    }

    @Override
    public Optional<Normalization> normalization() {
      return Optional.of(new Normalization(1 / 127.5, new double[] {1}, new double[] {1}));
    }

    @Override
    public LabelledImages open(DatasetRequest r) {
      return images(StdRandom.images(r.inputShape(), r.channelsLast()));
    }
  }

  /** A data set of MRT's catalogue whose files are named but whose reader is not part of this build. */
  abstract static class Recognised implements DatasetProvider {
    @Override
    public LabelledImages open(DatasetRequest r) {
      throw new MrtException("dataset " + name() + ": " + r.dir() + ": expected " + layout(r.split())
          + "; this data set is recognised but its reader is not part of this build");
    }
  }

  /** {@code voc}: Pascal VOC 2007 (recognised). */
  public static final class Voc extends Recognised {
    @Override
    public String name() {
      return "voc";
    }

    @Override
    public String layout(DatasetSplit split) {
      return "Pascal VOC 2007 as GluonCV's VOCDetection reads it: VOC2007/ImageSets/Main/"
          + (split == DatasetSplit.TEST ? "test" : "trainval") + ".txt, VOC2007/JPEGImages/<id>.jpg, "
          + "VOC2007/Annotations/<id>.xml (metric: VOC07 11-point mAP)";
    }
  }

  /** {@code coco}: COCO 2017 (recognised). */
  public static final class Coco extends Recognised {
    @Override
    public String name() {
      return "coco";
    }

    @Override
    public String layout(DatasetSplit split) {
      return "COCO 2017 as GluonCV's COCODetection reads it: annotations/instances_" + stem(split)
          + "2017.json and " + stem(split) + "2017/<image id>.jpg (metric: COCO mAP)";
    }
  }

  /** {@code quickdraw}: MRT's QuickDraw arrays (recognised). */
  public static final class QuickDraw extends Recognised {
    @Override
    public String name() {
      return "quickdraw";
    }

    @Override
    public String layout(DatasetSplit split) {
      String t = split == DatasetSplit.TEST ? "_test" : "";
      return "MRT's QuickDraw arrays quickdraw_X" + t + ".npy and quickdraw_y" + t + ".npy (metric: top-1)";
    }
  }

  /** {@code trec}: MRT's TREC question set (recognised). */
  public static final class Trec extends Recognised {
    @Override
    public String name() {
      return "trec";
    }

    @Override
    public String layout(DatasetSplit split) {
      return "MRT's TREC question set TREC." + (split == DatasetSplit.TEST ? "test" : "train") + ".pk (metric: top-1)";
    }
  }
}
