package io.mrt.plugins.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mrt.api.graph.Attrs;
import io.mrt.api.graph.Node;
import io.mrt.api.hook.ForwardContext;
import io.mrt.api.registry.HookType;
import io.mrt.runtime.cli.Main;
import io.mrt.runtime.plugin.LoadedPlugins;
import io.mrt.runtime.plugin.PluginHost;
import io.mrt.runtime.plugin.PluginInfo;
import io.mrt.runtime.registry.OpTable;
import io.mrt.runtime.registry.ResolvedOp;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The example plugin jars, copied from the build into a temporary plugins directory. */
class ExamplePluginsIT {
  @TempDir
  Path plugins;

  private static ForwardContext forward(Node node, Attrs attrs, INDArray x) {
    return new ForwardContext() {
      @Override
      public Node node() {
        return node;
      }

      @Override
      public Attrs attrs() {
        return attrs;
      }

      @Override
      public List<INDArray> inputs() {
        return List.of(x);
      }
    };
  }

  @Test
  void theThreeBuiltPluginJarsLoadWithTheirIdsRequiredApiAndOps() {
    PluginJars.install(plugins, PluginJars.TANH, PluginJars.HARD_SIGMOID, PluginJars.TEMPLATE);
    try (LoadedPlugins loaded = PluginHost.load(plugins)) {
      List<PluginInfo> ps = loaded.plugins();
      assertEquals(3, ps.size());
      assertEquals(List.of(), loaded.failed());
      assertEquals(List.of("hard-sigmoid", "softsign", "tanh"), ps.stream().map(PluginInfo::id).sorted().toList());
      for (PluginInfo p : ps) {
        assertEquals("^0.1.0", p.requires(), p.id());
        assertEquals("0.1.0-SNAPSHOT", p.version(), p.id());
      }
      Map<String, List<String>> ops = Map.of(
          "tanh", List.of("Activation[act_type=tanh]"),
          "hard-sigmoid", List.of("hard_sigmoid"),
          "softsign", List.of("Activation[act_type=softsign]"));
      ps.forEach(p -> assertEquals(ops.get(p.id()), p.opKeys(), p.id()));
    }
  }

  @Test
  void pluginOpsMergeWithTheBuiltInsAndRunThroughTheTable() {
    PluginJars.install(plugins, PluginJars.TANH, PluginJars.HARD_SIGMOID, PluginJars.TEMPLATE);
    Node x = Node.variable("data", Attrs.empty());
    Node tanh = Node.op("Activation", "act", Attrs.of("act_type", "tanh"), x.out());
    Node relu = Node.op("Activation", "act_r", Attrs.of("act_type", "relu"), x.out());
    Node hard = Node.op("hard_sigmoid", "hs", Attrs.empty(), x.out());
    try (LoadedPlugins loaded = PluginHost.load(plugins)) {
      OpTable table = loaded.opTable(Map.of());
      assertEquals("tanh", table.resolve(tanh).source().pluginId());
      assertNull(table.resolve(relu).source().pluginId(), "relu stays built-in");
      ResolvedOp hs = table.resolve(hard);
      assertEquals("hard-sigmoid", hs.source().pluginId());

      INDArray in = Nd4j.createFromArray(new float[] {-3f, 0f, 1f});
      INDArray y = table.hook(HookType.FORWARD, tanh).orElseThrow().forward(forward(tanh, table.attrsOf(tanh), in)).get(0);
      assertArrayEquals(new float[] {-0.9950548f, 0f, 0.7615942f}, y.toFloatVector(), 1e-6f);
      INDArray h = table.hook(HookType.FORWARD, hard).orElseThrow().forward(forward(hard, table.attrsOf(hard), in)).get(0);
      assertArrayEquals(new float[] {0f, 0.5f, 0.7f}, h.toFloatVector(), 1e-6f);
    }
  }

  @Test
  void mrtPluginsAndMrtOpsShowThePluginsOfTheDirectory() {
    PluginJars.install(plugins, PluginJars.TANH, PluginJars.HARD_SIGMOID, PluginJars.MNIST_CSV);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    assertEquals(0, Main.run(new String[] {"plugins", "--plugins", plugins.toString()}, new PrintWriter(out),
        new PrintWriter(err)), err.toString());
    List<String> lines = out.toString().lines().toList();
    assertEquals(List.of(
        "ID            VERSION         REQUIRES  STATE   JAR                                         OPS                        DATA SETS",
        "hard-sigmoid  0.1.0-SNAPSHOT  ^0.1.0    loaded  mrt-plugin-hard-sigmoid-0.1.0-SNAPSHOT.jar  hard_sigmoid               -",
        "mnist-csv     0.1.0-SNAPSHOT  ^0.1.0    loaded  mrt-plugin-mnist-csv-0.1.0-SNAPSHOT.jar     -                          mnist_csv",
        "tanh          0.1.0-SNAPSHOT  ^0.1.0    loaded  mrt-plugin-tanh-0.1.0-SNAPSHOT.jar          Activation[act_type=tanh]  -"),
        lines.subList(3, 7));

    StringWriter ops = new StringWriter();
    assertEquals(0, Main.run(new String[] {"ops", "--plugins", plugins.toString()}, new PrintWriter(ops),
        new PrintWriter(err)), err.toString());
    String tanhRow = ops.toString().lines().filter(l -> l.startsWith("Activation[act_type=tanh]")).findFirst().orElseThrow();
    assertTrue(tanhRow.matches("Activation\\[act_type=tanh]\\s+mrt-plugin-tanh-0\\.1\\.0-SNAPSHOT\\.jar\\s+tanh\\s+.*"),
        tanhRow);
  }
}
