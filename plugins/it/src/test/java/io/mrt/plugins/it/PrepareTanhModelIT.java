package io.mrt.plugins.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mrt.api.graph.Model;
import io.mrt.runtime.data.Datasets;
import io.mrt.runtime.data.ImageSet;
import io.mrt.runtime.data.Preprocessing;
import io.mrt.runtime.data.Split;
import io.mrt.runtime.exec.fp.FloatExecutor;
import io.mrt.runtime.io.mxnet.ModelFiles;
import io.mrt.runtime.io.mxnet.MxnetModels;
import io.mrt.runtime.plugin.LoadedPlugins;
import io.mrt.runtime.plugin.PluginHost;
import io.mrt.runtime.registry.OpTable;
import io.mrt.runtime.stage.StageFiles;
import io.mrt.runtime.stage.prepare.PrepareStage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The prepare stage on ../shared/models/mnist-cnn-tanh, whose tanh activations only the tanh
 * plugin provides: the float outputs before and after prepare agree to 1e-4 on real MNIST test
 * images.
 */
class PrepareTanhModelIT {
  private static final Logger LOG = LoggerFactory.getLogger(PrepareTanhModelIT.class);
  private static final int IMAGES = 500;

  @TempDir
  Path plugins;

  @TempDir
  Path out;

  @Test
  void preparedTanhModelAgreesWithTheOriginalOnMnist() throws IOException {
    PluginJars.install(plugins, PluginJars.TANH);
    Path modelDir = MnistCnnTanhIT.shared().resolve("models/mnist-cnn-tanh");
    StageFiles files = new StageFiles(modelDir, out, "mnist", out.resolve("dump"));
    Preprocessing pre = Preprocessing.divideBy255(-1, 1, 28, 28);
    ImageSet test = Datasets.load("mnist", MnistCnnTanhIT.shared().resolve("data/mnist"), Split.TEST, pre);
    try (LoadedPlugins loaded = PluginHost.load(plugins)) {
      OpTable ops = loaded.opTable(Map.of());
      PrepareStage.run(files, List.of(-1, 1, 28, 28), List.of(), ops);
      Model fixed = MxnetModels.load(new ModelFiles(files.fixedSymbol(), files.fixedParams()));
      Model prepared = MxnetModels.load(
          new ModelFiles(files.prepareSymbol(), files.prepareParams()));
      INDArray x = pre.batch(test, 0, IMAGES);
      INDArray a = new FloatExecutor(fixed, ops).run(x).get(0).castTo(DataType.DOUBLE);
      INDArray b = new FloatExecutor(prepared, ops).run(x).get(0).castTo(DataType.DOUBLE);
      double abs = a.sub(b).amaxNumber().doubleValue();
      LOG.info("mnist-cnn-tanh: {} ops after prepare; max |fixed - prepared| over {} images = {}",
          prepared.graph().ops().size(), IMAGES, abs);
      assertTrue(abs <= 1e-4, "outputs differ by " + abs);
      assertEquals(a.argMax(1), b.argMax(1));
    }
  }
}
