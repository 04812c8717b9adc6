package io.mrt.runtime.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mrt.api.graph.Attrs;
import io.mrt.api.graph.Node;
import io.mrt.runtime.MrtException;
import io.mrt.runtime.registry.OpSource;
import io.mrt.runtime.registry.OpTable;
import io.mrt.runtime.registry.ResolvedOp;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PluginHostTest {
  @TempDir
  Path dir;

  private Node tanhNode() {
    return Node.op("Activation", "act1", Attrs.of("act_type", "tanh"), Node.variable("x", Attrs.empty()).out());
  }

  @Test
  void loadsAPluginJarAndFindsItsRegistryInsideThePluginClassLoader() {
    TestJars.plugin(dir, "tanh-like.jar", TestJars.manifest("tanh-like", "^0.1.0"), TanhLikeRegistry.class);
    try (LoadedPlugins loaded = PluginHost.load(dir)) {
      PluginInfo p = loaded.plugins().get(0);
      assertNull(p.failure());
      assertEquals("tanh-like", p.id());
      assertEquals("1.0.0", p.version());
      assertEquals("^0.1.0", p.requires());
      assertEquals(List.of("Activation[act_type=tanh]"), p.opKeys());
      OpSource src = p.sources().get(0);
      assertEquals("plugin tanh-like (tanh-like.jar)", src.label());
      assertNotSame(TanhLikeRegistry.class, src.registry().getClass(), "loaded from the jar, not the class path");
      assertEquals(TanhLikeRegistry.class.getName(), src.registry().getClass().getName());
    }
  }

  private static Path datasetPlugin(Path dir, String file, String id, Class<?> provider) {
    return TestJars.jar(dir.resolve(file), TestJars.manifest(id, "^0.1.0"), Map.of(
        provider.getName().replace('.', '/') + ".class", TestJars.classBytes(provider),
        "META-INF/services/io.mrt.api.data.DatasetProvider", (provider.getName() + "\n").getBytes(
            java.nio.charset.StandardCharsets.UTF_8)));
  }

  @Test
  void aJarWithOnlyADatasetProviderLoadsAndItsDataSetJoinsTheBuiltIns() {
    datasetPlugin(dir, "digits.jar", "digits-ds", DigitsDatasetProvider.class);
    try (LoadedPlugins loaded = PluginHost.load(dir)) {
      PluginInfo p = loaded.plugins().get(0);
      assertNull(p.failure());
      assertEquals(List.of(), p.opKeys());
      assertEquals(List.of("digits"), p.datasetNames());
      io.mrt.runtime.registry.DatasetCatalog datasets = loaded.opTable(Map.of()).datasets();
      assertEquals(List.of("imagenet", "cifar10", "mnist", "fashion_mnist", "stdrandom", "image_folder", "voc", "coco",
          "quickdraw", "trec", "digits"), datasets.names());
      io.mrt.runtime.registry.DatasetSource src = datasets.find("digits");
      assertEquals("plugin digits-ds (digits.jar, class " + DigitsDatasetProvider.class.getName() + ")", src.label());
      assertNotSame(DigitsDatasetProvider.class, src.provider().getClass(), "loaded from the jar, not the class path");
    }
  }

  @Test
  void aDatasetProviderThatCannotBeCreatedFailsItsJarNamingTheCause() {
    datasetPlugin(dir, "bad.jar", "bad-ds", ThrowingDatasetProvider.class);
    try (LoadedPlugins loaded = PluginHost.load(dir)) {
      String failure = loaded.plugins().get(0).failure();
      assertTrue(failure.startsWith("plugin bad-ds: its dataset provider could not be loaded: "
          + "java.util.ServiceConfigurationError: io.mrt.api.data.DatasetProvider: Provider "
          + ThrowingDatasetProvider.class.getName() + " could not be instantiated"), failure);
      assertTrue(failure.endsWith("(caused by java.lang.IllegalStateException: no data today)"), failure);
      assertEquals(List.of(), loaded.datasetSources());
    }
  }

  @Test
  void pluginOpsMergeWithTheBuiltInsAndResolveTheirNodes() {
    TestJars.plugin(dir, "tanh-like.jar", TestJars.manifest("tanh-like", "^0.1.0"), TanhLikeRegistry.class);
    try (LoadedPlugins loaded = PluginHost.load(dir)) {
      OpTable table = loaded.opTable(Map.of());
      ResolvedOp op = table.resolve(tanhNode());
      assertEquals("tanh-like", op.source().pluginId());
      assertTrue(table.ops().stream().anyMatch(o -> o.source().pluginId() == null), "built-ins are still there");
    }
  }

  @Test
  void withoutThePluginATanhNodeStopsNamingTheNodeAndSayingAPluginCanProvideIt() {
    try (LoadedPlugins loaded = PluginHost.load(dir)) {
      MrtException e = assertThrows(MrtException.class, () -> loaded.opTable(Map.of()).resolve(tanhNode()));
      assertEquals("node act1: no registered implementation of op Activation with act_type=tanh; a plugin can "
          + "provide it (drop its jar into the plugins directory, see `mrt plugins`)", e.getMessage());
    }
  }

  @Test
  void aCorruptJarFailsWithItsReasonAndTheOtherPluginsStillLoad() throws IOException {
    Files.write(dir.resolve("a-corrupt.jar"), "this is not a zip file".getBytes(StandardCharsets.UTF_8));
    TestJars.plugin(dir, "b-good.jar", TestJars.manifest("tanh-like", "^0.1.0"), TanhLikeRegistry.class);
    try (LoadedPlugins loaded = PluginHost.load(dir)) {
      PluginInfo bad = loaded.plugins().get(0);
      assertEquals("a-corrupt.jar", bad.jarName());
      assertTrue(bad.failure().startsWith("not a readable jar file ("), bad.failure());
      assertEquals(List.of(bad), loaded.failed());
      assertTrue(loaded.plugins().get(1).loaded());
      assertEquals(1, loaded.sources().size());
    }
  }

  @Test
  void aJarWithoutPluginIdIsNotAPlugin() {
    TestJars.jar(dir.resolve("lib.jar"), Map.of("Created-By", "test"), Map.of("a.txt", new byte[] {1}));
    try (LoadedPlugins loaded = PluginHost.load(dir)) {
      assertEquals("not an MRT plugin: its manifest has no Plugin-Id (a plugin jar declares Plugin-Id, "
          + "Plugin-Version and Plugin-Requires; see docs/plugins.md)", loaded.plugins().get(0).failure());
    }
  }

  @Test
  void aPluginBuiltForAnotherApiVersionFailsBeforeItsClassesLoad() {
    TestJars.plugin(dir, "future.jar", TestJars.manifest("future", "^0.2.0"), TanhLikeRegistry.class);
    try (LoadedPlugins loaded = PluginHost.load(dir)) {
      PluginInfo p = loaded.plugins().get(0);
      assertEquals("plugin future 1.0.0 was built for mrt-api ^0.2.0 (Plugin-Requires), but this mrt provides "
          + "mrt-api 0.1.0; use a build of the plugin for mrt-api 0.1.0", p.failure());
      assertEquals(List.of(), loaded.sources());
    }
  }

  @Test
  void aFatJarBundlingTheOperatorApiFailsSayingToUseProvidedScope() {
    TestJars.jar(dir.resolve("fat.jar"), TestJars.manifest("fat", "^0.1.0"), Map.of(
        "io/mrt/api/registry/OpRegistry.class", TestJars.classBytes(io.mrt.api.registry.OpRegistry.class)));
    try (LoadedPlugins loaded = PluginHost.load(dir)) {
      assertEquals("plugin fat bundles classes of the host (io/mrt/api/registry/OpRegistry.class); build it with "
          + "mrt-api and mrt-annotations in provided scope (mrt-plugin-parent does)", loaded.plugins().get(0).failure());
    }
  }

  @Test
  void aPluginWithoutPluginRequiresFails() {
    TestJars.plugin(dir, "old.jar", TestJars.manifest("old", null), TanhLikeRegistry.class);
    try (LoadedPlugins loaded = PluginHost.load(dir)) {
      assertEquals("plugin old declares no Plugin-Requires; it must name the mrt-api versions it was built for, "
          + "e.g. Plugin-Requires: ^0.1.0", loaded.plugins().get(0).failure());
    }
  }

  @Test
  void aPluginRequiresThatIsNotARangeFails() {
    TestJars.plugin(dir, "odd.jar", TestJars.manifest("odd", "banana"), TanhLikeRegistry.class);
    try (LoadedPlugins loaded = PluginHost.load(dir)) {
      assertTrue(loaded.plugins().get(0).failure().startsWith(
          "plugin odd: Plugin-Requires 'banana' is not a version range (expected e.g. ^0.1.0): "),
          loaded.plugins().get(0).failure());
    }
  }

  @Test
  void aPluginWithNeitherAnOpRegistryNorADatasetProviderFailsSayingHowToGenerateOne() {
    TestJars.plugin(dir, "empty.jar", TestJars.manifest("empty", "^0.1.0"));
    try (LoadedPlugins loaded = PluginHost.load(dir)) {
      assertEquals("plugin empty holds no op registry (no META-INF/services/io.mrt.api.registry.OpRegistry) "
          + "and no dataset provider (no META-INF/services/io.mrt.api.data.DatasetProvider); "
          + "compile its @MrtOp classes with mrt-processor on the annotation processor path",
          loaded.plugins().get(0).failure());
    }
  }

  @Test
  void aRegistryThatCannotBeCreatedFailsThatPluginOnly() {
    TestJars.plugin(dir, "a-throwing.jar", TestJars.manifest("throwing", "^0.1.0"), ThrowingRegistry.class);
    TestJars.plugin(dir, "b-good.jar", TestJars.manifest("tanh-like", "^0.1.0"), TanhLikeRegistry.class);
    try (LoadedPlugins loaded = PluginHost.load(dir)) {
      String failure = loaded.plugins().get(0).failure();
      assertTrue(failure.startsWith("plugin throwing: its op registry could not be loaded: "), failure);
      assertTrue(failure.contains("registry initialisation failed"), failure);
      assertTrue(loaded.plugins().get(1).loaded());
    }
  }

  @Test
  void aRegistryClassMissingFromTheJarFailsThatPlugin() {
    TestJars.jar(dir.resolve("missing.jar"), TestJars.manifest("missing", "^0.1.0"),
        Map.of("META-INF/services/io.mrt.api.registry.OpRegistry", "com.example.NoSuchRegistry\n".getBytes(StandardCharsets.UTF_8)));
    try (LoadedPlugins loaded = PluginHost.load(dir)) {
      String failure = loaded.plugins().get(0).failure();
      assertTrue(failure.startsWith("plugin missing: its op registry could not be loaded: "), failure);
      assertTrue(failure.contains("com.example.NoSuchRegistry"), failure);
    }
  }

  @Test
  void twoJarsWithOnePluginIdLoadTheFirstAndFailTheSecond() {
    TestJars.plugin(dir, "a.jar", TestJars.manifest("tanh-like", "^0.1.0"), TanhLikeRegistry.class);
    TestJars.plugin(dir, "b.jar", TestJars.manifest("tanh-like", "^0.1.0"), TanhLikeRegistry.class);
    try (LoadedPlugins loaded = PluginHost.load(dir)) {
      assertTrue(loaded.plugins().get(0).loaded());
      assertEquals("plugin id tanh-like is already used by a.jar; two jars cannot share a Plugin-Id (remove one of "
          + "them)", loaded.plugins().get(1).failure());
    }
  }

  @Test
  void filesThatAreNotJarsAreIgnored() throws IOException {
    Files.writeString(dir.resolve("README.txt"), "plugins go here");
    try (LoadedPlugins loaded = PluginHost.load(dir)) {
      assertEquals(List.of(), loaded.plugins());
    }
  }

  @Test
  void aPluginOpThatClashesWithABuiltInStopsTheMergeNamingBothJars() {
    TestJars.plugin(dir, "flat.jar", TestJars.manifest("flat", "^0.1.0"), FlattenRegistry.class);
    try (LoadedPlugins loaded = PluginHost.load(dir)) {
      MrtException e = assertThrows(MrtException.class, () -> loaded.opTable(Map.of()));
      assertTrue(e.getMessage().matches("op Flatten is provided by both ops-builtin\\S* and plugin flat \\(flat.jar\\); "
          + "remove one, or choose one with the config key COMMON.OP_PROVIDERS: \\{Flatten: flat\\}"), e.getMessage());
    }
  }

  @Test
  void theConfigCanChooseThePluginOrTheBuiltInForAClashingOp() {
    TestJars.plugin(dir, "flat.jar", TestJars.manifest("flat", "^0.1.0"), FlattenRegistry.class);
    Node flatten = Node.op("Flatten", "f", Attrs.empty(), Node.variable("x", Attrs.empty()).out());
    try (LoadedPlugins loaded = PluginHost.load(dir)) {
      assertEquals("flat", loaded.opTable(Map.of("Flatten", "flat")).resolve(flatten).source().pluginId());
      assertNull(loaded.opTable(Map.of("Flatten", "ops-builtin")).resolve(flatten).source().pluginId());
    }
  }

  @Test
  void twoPluginsProvidingOneOpClashNamingBothJars() {
    TestJars.plugin(dir, "a.jar", TestJars.manifest("first", "^0.1.0"), TanhLikeRegistry.class);
    TestJars.plugin(dir, "b.jar", TestJars.manifest("second", "^0.1.0"), TanhLikeRegistry.class);
    try (LoadedPlugins loaded = PluginHost.load(dir)) {
      MrtException e = assertThrows(MrtException.class, () -> loaded.opTable(Map.of()));
      assertEquals("op Activation[act_type=tanh] is provided by both plugin first (a.jar) and plugin second (b.jar); "
          + "remove one, or choose one with the config key COMMON.OP_PROVIDERS: {Activation: second}", e.getMessage());
      assertEquals("second", loaded.opTable(Map.of("Activation", "second")).resolve(tanhNode()).source().pluginId());
    }
  }
}
