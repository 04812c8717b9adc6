package io.mrt.runtime.data;

import io.mrt.api.data.DatasetException;
import io.mrt.api.data.DatasetMetric;
import io.mrt.api.data.DatasetProvider;
import io.mrt.api.data.DatasetRequest;
import io.mrt.api.data.DatasetSplit;
import io.mrt.api.data.LabelledImages;
import io.mrt.api.data.Normalization;
import io.mrt.runtime.MrtException;
import io.mrt.runtime.registry.DatasetCatalog;
import io.mrt.runtime.registry.DatasetSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Opens a dataset by its name (MRT's {@code DATASET_NAME}) and folder ({@code DATASET_DIR})
 * through the {@link DatasetProvider} a {@link DatasetCatalog} holds for the name: the built-ins
 * ({@link BuiltinDatasets}) and the plugins' data sets alike. This class checks the folder (for
 * providers that read files), turns a provider's {@link DatasetException} (or a plugin's failure)
 * into one error naming the data set, and keeps the first {@code limit} samples.
 */
public final class Datasets {
  /** The built-in data set names, in MRT's catalogue order. */
  public static final List<String> NAMES = DatasetCatalog.classPath().names();

  private Datasets() {}

  /** MRT's default folder of a data set: {@code ~/.mxnet/datasets/<name>}. */
  public static Path defaultDir(String name) {
    return Path.of(System.getProperty("user.home"), ".mxnet", "datasets", DatasetCatalog.key(name));
  }

  /**
   * The normalisation the data set implies when the config sets none (imagenet: 0..255 RGB with
   * MRT's mean and std; stdrandom: pixels to [-1, 1]); empty for the others.
   */
  public static Optional<Normalization> normalization(DatasetCatalog catalog, String name) {
    return catalog.find(name).provider().normalization();
  }

  /** {@link #normalization(DatasetCatalog, String)} over the built-in data sets. */
  public static Optional<Normalization> normalization(String name) {
    return normalization(DatasetCatalog.classPath(), name);
  }

  /**
   * A fresh instance of the named data set's own metric (empty when its provider has none); a
   * provider that fails making one is an error naming it.
   */
  public static Optional<DatasetMetric> newMetric(DatasetCatalog catalog, String name) {
    DatasetSource source = catalog.find(name);
    try {
      Optional<DatasetMetric> m = source.provider().newMetric();
      return m == null ? Optional.empty() : m;
    } catch (RuntimeException | LinkageError e) {
      throw new MrtException("dataset " + DatasetCatalog.key(source.provider().name()) + origin(source)
          + ": the provider failed making its metric: " + e, e);
    }
  }

  /** Reads a built-in data set; {@code preprocessing} gives the input shape and layout. */
  public static ImageSet load(String name, Path dir, Split split, Preprocessing preprocessing) {
    return load(DatasetCatalog.classPath(), name, dir, split, preprocessing, Integer.MAX_VALUE);
  }

  /** Reads at most {@code limit} samples of a built-in data set (see the catalog form). */
  public static ImageSet load(String name, Path dir, Split split, Preprocessing preprocessing, int limit) {
    return load(DatasetCatalog.classPath(), name, dir, split, preprocessing, limit);
  }

  /**
   * Reads at most {@code limit} samples of the named data set of {@code catalog}; a provider whose
   * format allows reading a prefix (imagenet: the first records of the index) reads only those.
   */
  public static ImageSet load(DatasetCatalog catalog, String name, Path dir, Split split, Preprocessing preprocessing,
      int limit) {
    DatasetSource source = catalog.find(name);
    DatasetProvider p = source.provider();
    String key = DatasetCatalog.key(p.name());
    DatasetSplit s = split == Split.TEST ? DatasetSplit.TEST : DatasetSplit.TRAIN;
    if (p.readsFiles() && !Files.isDirectory(dir)) {
      throw new MrtException("dataset " + key + ": folder " + dir + ": " + (Files.exists(dir) ? "is not a folder"
          : "no such folder") + "; expected " + layout(source, s));
    }
    DatasetRequest request = new DatasetRequest(dir, s, preprocessing.inputShape(),
        preprocessing.layout() == Layout.NHWC, Math.max(1, limit));
    LabelledImages images;
    try {
      images = p.open(request);
    } catch (MrtException e) {
      throw e;
    } catch (DatasetException e) {
      throw new MrtException("dataset " + key + origin(source) + ": " + e.getMessage(), e);
    } catch (RuntimeException | LinkageError e) {
      throw new MrtException("dataset " + key + origin(source) + ": the provider failed reading " + dir + ": " + e, e);
    }
    if (images == null) {
      throw new MrtException("dataset " + key + origin(source) + ": the provider returned no images for " + dir);
    }
    ImageSet set = new ImageSet(images.source(), images.channels(), images.height(), images.width(), images.pixels(),
        images.labels(), images.classNames());
    return set.count() > limit ? set.slice(0, limit) : set;
  }

  private static String origin(DatasetSource s) {
    return s.pluginId() == null ? "" : " (" + s.label() + ")";
  }

  private static String layout(DatasetSource source, DatasetSplit split) {
    try {
      return source.provider().layout(split);
    } catch (RuntimeException e) {
      return "the files of " + source.label();
    }
  }
}
