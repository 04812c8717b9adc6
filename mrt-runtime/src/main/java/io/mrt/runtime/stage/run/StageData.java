package io.mrt.runtime.stage.run;

import io.mrt.runtime.MrtException;
import io.mrt.runtime.config.MrtConfig;
import io.mrt.runtime.data.BatchIterator;
import io.mrt.runtime.data.Datasets;
import io.mrt.runtime.data.ImageSet;
import io.mrt.runtime.data.Layout;
import io.mrt.runtime.data.Preprocessing;
import io.mrt.runtime.data.Split;
import io.mrt.runtime.registry.DatasetCatalog;
import io.mrt.api.data.Normalization;
import io.mrt.runtime.stage.StageBatches;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The dataset and preprocessing a config describes (CALIBRATE.DATASET_NAME, DATASET_DIR, SCALE,
 * MEAN, STD, LAYOUT and PREPARE.INPUT_SHAPE), and the batches the calibrate and evaluate stages
 * walk.
 */
public final class StageData {
  private StageData() {}

  /** The preprocessing: x = (pixel * SCALE - MEAN) / STD per channel, in LAYOUT, INPUT_SHAPE. */
  public static Preprocessing preprocessing(MrtConfig c) {
    return preprocessing(c, DatasetCatalog.classPath());
  }

  /** The preprocessing, with the normalisation of the data set of {@code datasets} the config names. */
  public static Preprocessing preprocessing(MrtConfig c, DatasetCatalog datasets) {
    Double scale = c.nullableDouble("CALIBRATE.SCALE");
    List<Double> mean = c.doubles("CALIBRATE.MEAN");
    List<Double> std = c.doubles("CALIBRATE.STD");
    List<Integer> shape = c.ints("PREPARE.INPUT_SHAPE");
    long[] s = new long[shape.size()];
    int batchAxis = shape.indexOf(-1);
    if (batchAxis != 0) {
      throw new MrtException(where(c) + "PREPARE.INPUT_SHAPE: the batch axis (-1) must come first for image datasets, found "
          + shape);
    }
    for (int i = 0; i < s.length; i++) {
      s[i] = shape.get(i);
    }
    // a data set's own normalisation (MRT's ImageNet mean and std) applies when the config sets none
    java.util.Optional<Normalization> own = scale == null && mean.isEmpty() && std.isEmpty()
        ? Datasets.normalization(datasets, c.string("CALIBRATE.DATASET_NAME")) : java.util.Optional.empty();
    if (own.isPresent()) {
      return new Preprocessing(own.get().scale(), own.get().mean(), own.get().std(),
          Layout.valueOf(c.string("CALIBRATE.LAYOUT").toUpperCase(Locale.ROOT)), s);
    }
    return new Preprocessing(scale == null ? 1 / 255.0 : scale,
        mean.isEmpty() ? new double[] {0} : mean.stream().mapToDouble(Double::doubleValue).toArray(),
        std.isEmpty() ? new double[] {1} : std.stream().mapToDouble(Double::doubleValue).toArray(),
        Layout.valueOf(c.string("CALIBRATE.LAYOUT").toUpperCase(Locale.ROOT)), s);
  }

  /** The dataset folder: CALIBRATE.DATASET_DIR, else MRT's {@code ~/.mxnet/datasets/<DATASET_NAME>}. */
  public static Path datasetDir(MrtConfig c) {
    Path dir = c.path("CALIBRATE.DATASET_DIR");
    return dir == null ? Datasets.defaultDir(c.string("CALIBRATE.DATASET_NAME")) : dir;
  }

  /** Reads the configured dataset's split from the built-in data sets. */
  public static ImageSet dataset(MrtConfig c, Split split) {
    return dataset(c, DatasetCatalog.classPath(), split, Integer.MAX_VALUE);
  }

  /** Reads at most {@code limit} samples of the configured dataset's split (see Datasets#load). */
  public static ImageSet dataset(MrtConfig c, DatasetCatalog datasets, Split split, long limit) {
    return Datasets.load(datasets, c.string("CALIBRATE.DATASET_NAME"), datasetDir(c), split,
        preprocessing(c, datasets), (int) Math.min(Integer.MAX_VALUE, Math.max(1, limit)));
  }

  /** NUM_CALIB batches of CALIBRATE.BATCH images from DATASET_SPLIT, of the built-in data sets. */
  public static BatchIterator calibrationBatches(MrtConfig c) {
    return calibrationBatches(c, DatasetCatalog.classPath());
  }

  /** NUM_CALIB batches of CALIBRATE.BATCH images from DATASET_SPLIT of the data set {@code datasets} holds. */
  public static BatchIterator calibrationBatches(MrtConfig c, DatasetCatalog datasets) {
    Split split = Split.valueOf(c.string("CALIBRATE.DATASET_SPLIT").toUpperCase(Locale.ROOT));
    long needed = (long) c.batch("CALIBRATE") * c.integer("CALIBRATE.NUM_CALIB");
    return BatchIterator.of(dataset(c, datasets, split, needed), preprocessing(c, datasets), c.batch("CALIBRATE"),
        c.integer("CALIBRATE.NUM_CALIB"));
  }

  /** ITER_NUM batches of EVALUATE.BATCH test images (ITER_NUM -1: the whole test set). */
  public static BatchIterator evaluationBatches(MrtConfig c, DatasetCatalog datasets) {
    int iters = c.integer("EVALUATE.ITER_NUM");
    int batch = c.batch("EVALUATE");
    ImageSet test = dataset(c, datasets, Split.TEST, iters < 0 ? Integer.MAX_VALUE : (long) iters * batch);
    Preprocessing p = preprocessing(c, datasets);
    return iters < 0 ? BatchIterator.all(test, p, batch) : BatchIterator.of(test, p, batch, iters);
  }

  /** The batches of the data set the config names, from {@code datasets}, read when a stage asks. */
  public static StageBatches batches(MrtConfig c, DatasetCatalog datasets) {
    return new StageBatches() {
      @Override
      public BatchIterator calibration() {
        return calibrationBatches(c, datasets);
      }

      @Override
      public BatchIterator evaluation() {
        return evaluationBatches(c, datasets);
      }

      @Override
      public BatchIterator test(int batch, int batches) {
        return BatchIterator.of(dataset(c, datasets, Split.TEST, (long) batches * batch), preprocessing(c, datasets),
            batch, batches);
      }

      @Override
      public java.util.Optional<io.mrt.api.data.DatasetMetric> newMetric() {
        return Datasets.newMetric(datasets, c.string("CALIBRATE.DATASET_NAME"));
      }
    };
  }

  private static String where(MrtConfig c) {
    return c.source() == null ? "" : c.source() + ": ";
  }
}
