package io.mrt.runtime.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mrt.api.data.DatasetException;
import io.mrt.api.data.DatasetProvider;
import io.mrt.api.data.DatasetRequest;
import io.mrt.api.data.DatasetSplit;
import io.mrt.api.data.LabelledImages;
import io.mrt.runtime.MrtException;
import io.mrt.runtime.registry.DatasetCatalog;
import io.mrt.runtime.registry.DatasetSource;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Datasets opens every data set through the catalogue's provider, the same way for all. */
class DatasetsTest {
  @TempDir
  Path dir;

  /** A provider whose {@code open} is given; it records the requests. */
  static final class Given implements DatasetProvider {
    final String name;
    final boolean readsFiles;
    final Function<DatasetRequest, LabelledImages> open;
    final List<DatasetRequest> requests = new ArrayList<>();

    Given(String name, boolean readsFiles, Function<DatasetRequest, LabelledImages> open) {
      this.name = name;
      this.readsFiles = readsFiles;
      this.open = open;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public String layout(DatasetSplit split) {
      return "digits_" + split.name().toLowerCase(java.util.Locale.ROOT) + ".txt";
    }

    @Override
    public boolean readsFiles() {
      return readsFiles;
    }

    @Override
    public LabelledImages open(DatasetRequest r) {
      requests.add(r);
      return open.apply(r);
    }
  }

  /** Five 1x1x2 images: image i has pixels (i, 10 + i) and label i. */
  private static LabelledImages five(DatasetRequest r) {
    return new LabelledImages("five", 1, 1, 2, new byte[] {0, 10, 1, 11, 2, 12, 3, 13, 4, 14}, new int[] {0, 1, 2, 3, 4},
        List.of());
  }

  private static DatasetCatalog catalog(Given g) {
    return DatasetCatalog.merge(List.of(new DatasetSource(g, "digits.jar", "digits")));
  }

  private static final Preprocessing NHWC = new Preprocessing(1, new double[] {0}, new double[] {1}, Layout.NHWC,
      new long[] {-1, 1, 2, 1});

  @Test
  void theProviderGetsTheFolderSplitShapeLayoutAndLimitAndTheFirstLimitImagesAreKept() {
    Given g = new Given("digits", true, DatasetsTest::five);
    ImageSet s = Datasets.load(catalog(g), "Digits", dir, Split.TRAIN, NHWC, 3);
    assertEquals(List.of(new DatasetRequest(dir, DatasetSplit.TRAIN, new long[] {-1, 1, 2, 1}, true, 3)), g.requests);
    assertEquals(3, s.count());
    assertArrayEquals(new int[] {0, 1, 2}, s.labels());
    assertEquals(12, s.pixel(2, 0, 0, 1));
  }

  @Test
  void aGeneratedDataSetNeedsNoFolderAndAFileReaderNeedsAnExistingOne() {
    Path absent = dir.resolve("absent");
    assertEquals(5, Datasets.load(catalog(new Given("gen", false, DatasetsTest::five)), "gen", absent, Split.TEST,
        NHWC, Integer.MAX_VALUE).count());
    MrtException e = assertThrows(MrtException.class, () -> Datasets.load(
        catalog(new Given("digits", true, DatasetsTest::five)), "digits", absent, Split.TEST, NHWC, 10));
    assertEquals("dataset digits: folder " + absent + ": no such folder; expected digits_test.txt", e.getMessage());
  }

  @Test
  void aProvidersBadInputErrorIsPrefixedWithTheDataSetAndThePlugin() {
    Given g = new Given("digits", true, r -> {
      throw new DatasetException(r.dir().resolve("digits_test.txt") + ": line 3: expected 2 pixels, found 1");
    });
    MrtException e = assertThrows(MrtException.class,
        () -> Datasets.load(catalog(g), "digits", dir, Split.TEST, NHWC, 10));
    assertEquals("dataset digits (plugin digits (digits.jar, class " + Given.class.getName() + ")): "
        + dir.resolve("digits_test.txt") + ": line 3: expected 2 pixels, found 1", e.getMessage());
  }

  @Test
  void aProviderThatFailsOtherwiseIsOneErrorNamingItAndTheFolder() {
    Given g = new Given("digits", true, r -> {
      throw new IllegalStateException("no digits today");
    });
    MrtException e = assertThrows(MrtException.class,
        () -> Datasets.load(catalog(g), "digits", dir, Split.TEST, NHWC, 10));
    assertEquals("dataset digits (plugin digits (digits.jar, class " + Given.class.getName() + ")): the provider "
        + "failed reading " + dir + ": java.lang.IllegalStateException: no digits today", e.getMessage());
    Given none = new Given("digits", true, r -> null);
    assertEquals("dataset digits (plugin digits (digits.jar, class " + Given.class.getName() + ")): the provider "
        + "returned no images for " + dir, assertThrows(MrtException.class,
            () -> Datasets.load(catalog(none), "digits", dir, Split.TEST, NHWC, 10)).getMessage());
  }

  @Test
  void imagesOfTheWrongByteCountAreRejectedBeforeTheHostSeesThem() {
    DatasetException e = assertThrows(DatasetException.class,
        () -> new LabelledImages("short", 1, 2, 2, new byte[7], new int[] {0, 1}, List.of()));
    assertEquals("short: 2 labels need 8 pixel bytes, found 7", e.getMessage());
  }
}
