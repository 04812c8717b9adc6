package io.mrt.runtime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mrt.api.graph.Attrs;
import io.mrt.api.graph.Node;
import io.mrt.runtime.MrtException;
import io.mrt.runtime.config.ConfigLoader;
import io.mrt.runtime.config.MrtConfig;
import io.mrt.runtime.plugin.FlattenRegistry;
import io.mrt.runtime.plugin.LoadedPlugins;
import io.mrt.runtime.plugin.TestJars;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run's plugins and op table from its config: COMMON.PLUGINS_DIR and COMMON.OP_PROVIDERS. */
class PluginOptionsTest {
  @TempDir
  Path base;

  private final Node flatten = Node.op("Flatten", "flatten0", Attrs.empty(), Node.variable("x", Attrs.empty()).out());

  private MrtConfig config(Map<String, Object> common) {
    return ConfigLoader.fromMap(base, Map.of("COMMON", common), List.of());
  }

  @Test
  void theConfigPluginsDirIsResolvedAgainstTheConfigFolderAndItsOpProvidersChoose() throws IOException {
    Path dir = Files.createDirectories(base.resolve("my-plugins"));
    TestJars.plugin(dir, "flat.jar", TestJars.manifest("flat", "^0.1.0"), FlattenRegistry.class);
    PluginOptions options = new PluginOptions();
    MrtConfig cfg = config(Map.of("PLUGINS_DIR", "my-plugins", "OP_PROVIDERS", Map.of("Flatten", "flat")));
    try (LoadedPlugins loaded = options.loadFor(cfg)) {
      assertEquals(dir, loaded.dir().path());
      assertEquals("config key COMMON.PLUGINS_DIR", loaded.dir().origin());
      assertEquals("flat", PluginOptions.opTable(loaded, cfg).resolve(flatten).source().pluginId());
    }
  }

  @Test
  void withoutOpProvidersAClashStopsTheRun() throws IOException {
    Path dir = Files.createDirectories(base.resolve("my-plugins"));
    TestJars.plugin(dir, "flat.jar", TestJars.manifest("flat", "^0.1.0"), FlattenRegistry.class);
    MrtConfig cfg = config(Map.of("PLUGINS_DIR", "my-plugins"));
    try (LoadedPlugins loaded = new PluginOptions().loadFor(cfg)) {
      MrtException e = assertThrows(MrtException.class, () -> PluginOptions.opTable(loaded, cfg));
      assertEquals(true, e.getMessage().startsWith("op Flatten is provided by both ops-builtin"), e.getMessage());
    }
  }

  @Test
  void theOptionWinsOverTheConfig() throws IOException {
    Path opt = Files.createDirectories(base.resolve("opt"));
    PluginOptions options = new PluginOptions();
    options.dir = opt;
    try (LoadedPlugins loaded = options.loadFor(config(Map.of("PLUGINS_DIR", "/nonexistent/plugins")))) {
      assertEquals(opt, loaded.dir().path());
    }
  }
}
