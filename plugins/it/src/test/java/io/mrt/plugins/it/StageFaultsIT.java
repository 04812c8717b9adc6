package io.mrt.plugins.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mrt.runtime.MrtException;
import io.mrt.runtime.cli.Main;
import io.mrt.runtime.data.BatchIterator;
import io.mrt.runtime.data.Datasets;
import io.mrt.runtime.data.ImageSet;
import io.mrt.runtime.data.Preprocessing;
import io.mrt.runtime.data.Split;
import io.mrt.runtime.plugin.LoadedPlugins;
import io.mrt.runtime.plugin.PluginHost;
import io.mrt.runtime.registry.OpFailure;
import io.mrt.runtime.stage.StageFiles;
import io.mrt.runtime.stage.prepare.PrepareStage;
import io.mrt.runtime.stage.calibrate.CalibrateOptions;
import io.mrt.runtime.stage.calibrate.CalibrateStage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A plugin hook that throws during a stage: the stage fails with one message naming the plugin,
 * the op and the node, and writes nothing.
 */
class StageFaultsIT {
  @TempDir
  Path plugins;
  @TempDir
  Path work;
  @TempDir
  Path out;

  static final String BAD_SHAPE_TANH = """
      package com.example.badshape;

      import io.mrt.annotations.Attr;
      import io.mrt.annotations.MrtOp;
      import io.mrt.annotations.When;
      import io.mrt.api.graph.Shape;
      import io.mrt.api.hook.InferShapeHook;
      import io.mrt.api.hook.ShapeContext;
      import java.util.List;

      /** A tanh whose shape inference has a bug. */
      @MrtOp(value = "Activation", when = @When(attr = "act_type", equals = "tanh"),
          attrs = @Attr(name = "act_type", type = String.class))
      public final class BadShapeTanh implements InferShapeHook {
        public BadShapeTanh() {}

        @Override
        public List<Shape> inferShape(ShapeContext ctx) {
          return List.of(ctx.inputShape(1));
        }
      }
      """;

  private Path config() throws IOException {
    Path model = MnistCnnTanhIT.shared().resolve("models/mnist-cnn-tanh");
    return Files.writeString(work.resolve("mnist-cnn-tanh.yaml"), String.join("\n",
        "COMMON:",
        "  MODEL_DIR: " + model,
        "  MODEL_NAME: mnist",
        "  OUTPUT_DIR: " + out,
        "PREPARE:",
        "  INPUT_SHAPE: [-1, 1, 28, 28]",
        ""));
  }

  private List<String> written() throws IOException {
    try (Stream<Path> files = Files.list(out)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void mrtPrepareWithAPluginWhoseInferShapeThrowsFailsNamingPluginOpAndNodeAndWritesNothing() throws IOException {
    FixturePlugins.build(work, plugins, "bad-shape-tanh.jar", "bad-shape-tanh", "com.example.badshape.BadOpRegistry",
        Map.of("com.example.badshape.BadShapeTanh", BAD_SHAPE_TANH));
    StringWriter stdout = new StringWriter();
    StringWriter stderr = new StringWriter();
    int code = Main.run(new String[] {"prepare", config().toString(), "--plugins", plugins.toString()},
        new PrintWriter(stdout), new PrintWriter(stderr));
    assertEquals(2, code, stderr.toString());
    String err = stderr.toString();
    assertTrue(err.startsWith("error: "), err);
    assertTrue(err.contains("node hybridsequential9_conv0_tanh_fwd (Activation[act_type=tanh]): the inferShape hook of "
        + "plugin bad-shape-tanh (bad-shape-tanh.jar) failed: java.lang.IndexOutOfBoundsException"), err);
    assertEquals(1, err.lines().count(), "one message, no stack trace: " + err);
    assertEquals(List.of(), written());
  }

  @Test
  void calibrateWithAPluginWhoseForwardThrowsFailsNamingPluginOpAndNodeAndWritesNoCalibrateFile() throws IOException {
    FixturePlugins.build(work, plugins, "broken-tanh.jar", "broken-tanh", "com.example.broken.BrokenOpRegistry",
        Map.of("com.example.broken.BrokenTanh", PluginFaultsIT.BROKEN_TANH));
    StageFiles files = new StageFiles(MnistCnnTanhIT.shared().resolve("models/mnist-cnn-tanh"), out, "mnist",
        out.resolve("dump"));
    Preprocessing pre = Preprocessing.divideBy255(-1, 1, 28, 28);
    ImageSet test = Datasets.load("mnist", MnistCnnTanhIT.shared().resolve("data/mnist"), Split.TEST, pre);
    try (LoadedPlugins loaded = PluginHost.load(plugins)) {
      var ops = loaded.opTable(Map.of());
      PrepareStage.run(files, List.of(-1, 1, 28, 28), List.of(), ops); // shapes only: the broken forward is not called
      List<String> prepared = written();
      BatchIterator it = BatchIterator.of(test, pre, 16, 1);
      Iterator<INDArray> batches = new Iterator<>() {
        @Override
        public boolean hasNext() {
          return it.hasNext();
        }

        @Override
        public INDArray next() {
          return it.next().data();
        }
      };
      MrtException e = assertThrows(MrtException.class,
          () -> CalibrateStage.run(files, false, batches, CalibrateOptions.of(16, 1), ops));
      // the float executor adds the input shapes to the guarded hook's message
      assertEquals("node hybridsequential9_conv0_tanh_fwd (Activation[act_type=tanh]): the forward hook of plugin "
          + "broken-tanh (broken-tanh.jar) failed: java.lang.IllegalStateException: lookup table not initialised "
          + "(input shapes [(16, 10, 24, 24)])", e.getMessage());
      OpFailure failure = assertInstanceOf(OpFailure.class, e.getCause());
      assertEquals("broken-tanh", failure.pluginId());
      assertEquals("hybridsequential9_conv0_tanh_fwd", failure.nodeName());
      assertSame(IllegalStateException.class, failure.getCause().getClass());
      assertEquals(prepared, written(), "the calibrate stage wrote nothing");
      assertTrue(prepared.stream().noneMatch(f -> f.contains("calibrate")), prepared.toString());
    }
  }
}
