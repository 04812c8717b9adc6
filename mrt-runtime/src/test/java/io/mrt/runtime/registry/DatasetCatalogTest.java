package io.mrt.runtime.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mrt.api.data.DatasetProvider;
import io.mrt.api.data.DatasetRequest;
import io.mrt.api.data.DatasetSplit;
import io.mrt.api.data.LabelledImages;
import io.mrt.runtime.MrtException;
import java.util.List;
import org.junit.jupiter.api.Test;

class DatasetCatalogTest {
  /** A provider with a name and aliases that reads nothing. */
  record Named(String name, List<String> aliases) implements DatasetProvider {
    @Override
    public String layout(DatasetSplit split) {
      return "nothing";
    }

    @Override
    public LabelledImages open(DatasetRequest request) {
      throw new UnsupportedOperationException("the catalogue tests only look providers up by name");
    }
  }

  private static DatasetSource plugin(String name, String jar, String id, String... aliases) {
    return new DatasetSource(new Named(name, List.of(aliases)), jar, id);
  }

  @Test
  void theClassPathHoldsMrtsCatalogueInItsOrder() {
    assertEquals(List.of("imagenet", "cifar10", "mnist", "fashion_mnist", "stdrandom", "image_folder", "voc", "coco",
        "quickdraw", "trec"), DatasetCatalog.classPath().names());
    assertEquals("io.mrt.runtime.data.BuiltinDatasets$ImageFolder",
        DatasetCatalog.classPath().find("ImageFolder").provider().getClass().getName());
  }

  @Test
  void namesAndAliasesAreFoundInAnyCaseWithHyphensReadAsUnderscores() {
    DatasetSource a = plugin("digits_csv", "digits.jar", "digits", "digits");
    DatasetCatalog c = DatasetCatalog.merge(List.of(a));
    assertSame(a, c.find("Digits-CSV"));
    assertSame(a, c.find(" digits "));
    assertEquals(List.of("digits_csv"), c.names());
  }

  @Test
  void twoProvidersOfOneNameAreOneErrorNamingBothSources() {
    MrtException e = assertThrows(MrtException.class, () -> DatasetCatalog.merge(List.of(
        plugin("digits", "a.jar", "a"), plugin("Digits", "b.jar", "b"))));
    String cls = Named.class.getName();
    assertEquals("data set digits is provided by both plugin a (a.jar, class " + cls + ") and plugin b (b.jar, class "
        + cls + "); remove one of them", e.getMessage());
  }

  @Test
  void aPluginClaimingABuiltInNameOrAliasClashesWithTheBuiltIn() {
    List<DatasetSource> all = new java.util.ArrayList<>(DatasetCatalog.classPathSources());
    all.add(plugin("my_folder", "f.jar", "f", "imagefolder"));
    MrtException e = assertThrows(MrtException.class, () -> DatasetCatalog.merge(all));
    DatasetSource builtin = DatasetCatalog.classPath().find("image_folder");
    assertEquals("data set imagefolder is provided by both class io.mrt.runtime.data.BuiltinDatasets$ImageFolder ("
        + builtin.location() + ") and plugin f (f.jar, class " + Named.class.getName() + "); remove one of them",
        e.getMessage());
  }

  @Test
  void anUnknownNameListsTheKnownOnesAndSuggestsTheNearest() {
    MrtException e = assertThrows(MrtException.class, () -> DatasetCatalog.classPath().find("imagenett"));
    assertEquals("CALIBRATE.DATASET_NAME: unknown data set 'imagenett'; known: imagenet, cifar10, mnist, "
        + "fashion_mnist, stdrandom, image_folder, voc, coco, quickdraw, trec (did you mean 'imagenet'?)",
        e.getMessage());
  }

  @Test
  void anUnknownNameFarFromEveryKnownOneGetsNoSuggestion() {
    MrtException e = assertThrows(MrtException.class, () -> DatasetCatalog.classPath().find("librispeech"));
    assertEquals("CALIBRATE.DATASET_NAME: unknown data set 'librispeech'; known: imagenet, cifar10, mnist, "
        + "fashion_mnist, stdrandom, image_folder, voc, coco, quickdraw, trec", e.getMessage());
  }

  @Test
  void theSuggestionIsTheNearestByEditDistanceWithinTwoOrAThirdOfTheName() {
    assertEquals("mnist", DatasetCatalog.closest("minst", List.of("coco", "mnist", "voc")));
    assertEquals("cifar10", DatasetCatalog.closest("cifar100", List.of("cifar10", "coco")));
    assertNull(DatasetCatalog.closest("xyz", List.of("voc", "trec")));
    // "fashion_mnst" (12 letters) may be 4 edits away; "fashion" is 6 from "fashion_mnist"
    assertEquals("fashion_mnist", DatasetCatalog.closest("fashion_mnst", List.of("fashion_mnist", "mnist")));
    assertNull(DatasetCatalog.closest("fashion", List.of("fashion_mnist")));
  }

  @Test
  void anEmptyNameIsAnErrorNamingTheProvider() {
    MrtException e = assertThrows(MrtException.class, () -> DatasetCatalog.merge(List.of(plugin(" ", "e.jar", "e"))));
    assertEquals("plugin e (e.jar, class " + Named.class.getName() + "): a dataset provider must have a non-empty name",
        e.getMessage());
  }
}
