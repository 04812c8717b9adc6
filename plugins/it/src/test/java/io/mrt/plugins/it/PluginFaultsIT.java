package io.mrt.plugins.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mrt.annotations.MrtOp;
import io.mrt.api.graph.Attrs;
import io.mrt.api.graph.Node;
import io.mrt.api.hook.ForwardContext;
import io.mrt.api.registry.HookType;
import io.mrt.runtime.MrtException;
import io.mrt.runtime.plugin.LoadedPlugins;
import io.mrt.runtime.plugin.PluginHost;
import io.mrt.runtime.plugin.PluginInfo;
import io.mrt.runtime.registry.OpFailure;
import io.mrt.runtime.registry.OpTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Each fault of a plugins directory: the bad jar is named with its reason, the others load. */
class PluginFaultsIT {
  @TempDir
  Path plugins;
  @TempDir
  Path work;

  static final String MY_FLATTEN = """
      package com.example.flat;

      import io.mrt.annotations.MrtOp;
      import io.mrt.api.graph.Shape;
      import io.mrt.api.hook.InferShapeHook;
      import io.mrt.api.hook.ShapeContext;
      import java.util.List;

      /** A plugin's own Flatten, which the built-ins provide too. */
      @MrtOp("Flatten")
      public final class MyFlatten implements InferShapeHook {
        public MyFlatten() {}

        @Override
        public List<Shape> inferShape(ShapeContext ctx) {
          Shape x = ctx.inputShape(0);
          return List.of(Shape.of(x.dim(0), x.size() / x.dim(0)));
        }
      }
      """;

  static final String BROKEN_TANH = """
      package com.example.broken;

      import io.mrt.annotations.Attr;
      import io.mrt.annotations.MrtOp;
      import io.mrt.annotations.When;
      import io.mrt.api.graph.Shape;
      import io.mrt.api.hook.ForwardContext;
      import io.mrt.api.hook.ForwardHook;
      import io.mrt.api.hook.InferShapeHook;
      import io.mrt.api.hook.ShapeContext;
      import java.util.List;
      import org.nd4j.linalg.api.ndarray.INDArray;

      /** A tanh whose forward hook throws. */
      @MrtOp(value = "Activation", when = @When(attr = "act_type", equals = "tanh"),
          attrs = @Attr(name = "act_type", type = String.class))
      public final class BrokenTanh implements InferShapeHook, ForwardHook {
        public BrokenTanh() {}

        @Override
        public List<Shape> inferShape(ShapeContext ctx) {
          return List.of(ctx.inputShape(0));
        }

        @Override
        public List<INDArray> forward(ForwardContext ctx) {
          throw new IllegalStateException("lookup table not initialised");
        }
      }
      """;

  private static PluginInfo byJar(LoadedPlugins loaded, String jar) {
    return loaded.plugins().stream().filter(p -> p.jarName().equals(jar)).findFirst().orElseThrow();
  }

  private static void assertOthersLoaded(LoadedPlugins loaded, String... ids) {
    for (String id : ids) {
      assertTrue(loaded.plugins().stream().anyMatch(p -> id.equals(p.id()) && p.loaded()), id + " should load");
    }
  }

  @Test
  void aPluginBuiltForAnotherMrtApiFailsNamingJarAndVersionsAndTheOthersLoad() {
    PluginJars.install(plugins, PluginJars.HARD_SIGMOID);
    PluginJars.withManifest(PluginJars.built(PluginJars.TANH), plugins.resolve("tanh-for-api-0.2.jar"),
        Map.of("Plugin-Requires", "^0.2.0"));
    try (LoadedPlugins loaded = PluginHost.load(plugins)) {
      assertEquals("plugin tanh 0.1.0-SNAPSHOT was built for mrt-api ^0.2.0 (Plugin-Requires), but this mrt provides "
          + "mrt-api 0.1.0; use a build of the plugin for mrt-api 0.1.0", byJar(loaded, "tanh-for-api-0.2.jar").failure());
      assertOthersLoaded(loaded, "hard-sigmoid");
      Node tanh = Node.op("Activation", "act", Attrs.of("act_type", "tanh"), Node.variable("x", Attrs.empty()).out());
      MrtException e = assertThrows(MrtException.class, () -> loaded.opTable(Map.of()).resolve(tanh));
      assertTrue(e.getMessage().contains("a plugin can provide it"), e.getMessage());
    }
  }

  @Test
  void aCorruptJarFailsNamingTheJarAndTheOthersLoad() throws IOException {
    PluginJars.install(plugins, PluginJars.HARD_SIGMOID, PluginJars.TEMPLATE);
    byte[] whole = Files.readAllBytes(PluginJars.built(PluginJars.TANH));
    Files.write(plugins.resolve("tanh-truncated.jar"), Arrays.copyOf(whole, whole.length / 2));
    try (LoadedPlugins loaded = PluginHost.load(plugins)) {
      String failure = byJar(loaded, "tanh-truncated.jar").failure();
      assertTrue(failure.startsWith("not a readable jar file ("), failure);
      assertOthersLoaded(loaded, "hard-sigmoid", "softsign");
    }
  }

  @Test
  void anOrdinaryLibraryJarIsNotAPluginAndTheOthersLoad() throws IOException {
    PluginJars.install(plugins, PluginJars.TANH);
    Files.copy(PluginJars.locationOf(MrtOp.class), plugins.resolve("mrt-annotations.jar"));
    try (LoadedPlugins loaded = PluginHost.load(plugins)) {
      assertEquals("not an MRT plugin: its manifest has no Plugin-Id (a plugin jar declares Plugin-Id, Plugin-Version "
          + "and Plugin-Requires; see docs/plugins.md)", byJar(loaded, "mrt-annotations.jar").failure());
      assertOthersLoaded(loaded, "tanh");
    }
  }

  @Test
  void anOpThatClashesWithABuiltInStopsTheRunNamingBothJarsUnlessTheConfigChooses() {
    FixturePlugins.build(work, plugins, "my-flatten.jar", "my-flatten", "com.example.flat.FlatOpRegistry",
        Map.of("com.example.flat.MyFlatten", MY_FLATTEN));
    PluginJars.install(plugins, PluginJars.TANH);
    Node flatten = Node.op("Flatten", "flatten0", Attrs.empty(), Node.variable("x", Attrs.empty()).out());
    try (LoadedPlugins loaded = PluginHost.load(plugins)) {
      assertOthersLoaded(loaded, "my-flatten", "tanh");
      MrtException e = assertThrows(MrtException.class, () -> loaded.opTable(Map.of()));
      assertTrue(e.getMessage().matches("op Flatten is provided by both ops-builtin\\S*\\.jar and plugin my-flatten "
          + "\\(my-flatten\\.jar\\); remove one, or choose one with the config key COMMON\\.OP_PROVIDERS: "
          + "\\{Flatten: my-flatten}"), e.getMessage());
      assertEquals("my-flatten", loaded.opTable(Map.of("Flatten", "my-flatten")).resolve(flatten).source().pluginId());
      assertNull(loaded.opTable(Map.of("Flatten", "ops-builtin")).resolve(flatten).source().pluginId());
    }
  }

  @Test
  void twoPluginsProvidingTanhClashNamingBothJarsUnlessTheConfigChooses() {
    PluginJars.install(plugins, PluginJars.TANH);
    PluginJars.withManifest(PluginJars.built(PluginJars.TANH), plugins.resolve("zz-tanh-fork.jar"),
        Map.of("Plugin-Id", "tanh-fork"));
    Node tanh = Node.op("Activation", "act", Attrs.of("act_type", "tanh"), Node.variable("x", Attrs.empty()).out());
    try (LoadedPlugins loaded = PluginHost.load(plugins)) {
      MrtException e = assertThrows(MrtException.class, () -> loaded.opTable(Map.of()));
      assertEquals("op Activation[act_type=tanh] is provided by both plugin tanh (mrt-plugin-tanh-0.1.0-SNAPSHOT.jar) "
          + "and plugin tanh-fork (zz-tanh-fork.jar); remove one, or choose one with the config key "
          + "COMMON.OP_PROVIDERS: {Activation: tanh-fork}", e.getMessage());
      // the choice for Activation also decides the op class's second name, MXNet's plain tanh op
      OpTable table = loaded.opTable(Map.of("Activation", "tanh-fork"));
      assertEquals("tanh-fork", table.resolve(tanh).source().pluginId());
      Node plain = Node.op("tanh", "t", Attrs.empty(), Node.variable("x", Attrs.empty()).out());
      assertEquals("tanh-fork", table.resolve(plain).source().pluginId());
    }
  }

  @Test
  void aHookThatThrowsFailsNamingPluginOpAndNode() {
    FixturePlugins.build(work, plugins, "broken-tanh.jar", "broken-tanh", "com.example.broken.BrokenOpRegistry",
        Map.of("com.example.broken.BrokenTanh", BROKEN_TANH));
    Node tanh = Node.op("Activation", "hybridsequential9_conv0_tanh_fwd", Attrs.of("act_type", "tanh"),
        Node.variable("x", Attrs.empty()).out());
    try (LoadedPlugins loaded = PluginHost.load(plugins)) {
      OpTable table = loaded.opTable(Map.of());
      ForwardContext ctx = new ForwardContext() {
        @Override
        public Node node() {
          return tanh;
        }

        @Override
        public Attrs attrs() {
          return tanh.attrs();
        }

        @Override
        public List<INDArray> inputs() {
          return List.of(Nd4j.ones(1));
        }
      };
      OpFailure e = assertThrows(OpFailure.class, () -> table.hook(HookType.FORWARD, tanh).orElseThrow().forward(ctx));
      assertEquals("node hybridsequential9_conv0_tanh_fwd (Activation[act_type=tanh]): the forward hook of plugin "
          + "broken-tanh (broken-tanh.jar) failed: java.lang.IllegalStateException: lookup table not initialised",
          e.getMessage());
    }
  }
}
