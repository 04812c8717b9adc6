package io.mrt.plugins.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mrt.api.graph.Model;
import io.mrt.api.graph.Node;
import io.mrt.runtime.MrtException;
import io.mrt.runtime.data.Batch;
import io.mrt.runtime.data.BatchIterator;
import io.mrt.runtime.data.Datasets;
import io.mrt.runtime.data.ImageSet;
import io.mrt.runtime.data.Preprocessing;
import io.mrt.runtime.data.Split;
import io.mrt.runtime.exec.fp.FloatExecutor;
import io.mrt.runtime.io.mxnet.ModelFiles;
import io.mrt.runtime.io.mxnet.MxnetModels;
import io.mrt.runtime.plugin.LoadedPlugins;
import io.mrt.runtime.plugin.PluginHost;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The third-party model ../shared/models/mnist-cnn-tanh (four tanh activations) through the
 * project's float executor: it runs only with the tanh plugin jar in the plugins directory, and
 * then agrees with real MXNet on the MNIST test set.
 */
class MnistCnnTanhIT {
  private static final Logger LOG = LoggerFactory.getLogger(MnistCnnTanhIT.class);
  @TempDir
  Path plugins;

  static Path shared() {
    return Path.of(System.getProperty("mrt.shared.dir", "../../test-fixtures"));
  }

  static Model model() {
    return MxnetModels.loadRunnable(ModelFiles.locate(shared().resolve("models/mnist-cnn-tanh")));
  }

  @Test
  void withoutTheTanhPluginTheRunStopsAtOnceNamingTheFirstTanhNode() {
    Model model = model();
    String firstTanh = model.graph().ops().stream().filter(n -> "tanh".equals(n.attrs().asMap().get("act_type")))
        .map(Node::name).findFirst().orElseThrow();
    try (LoadedPlugins loaded = PluginHost.load(plugins)) {
      MrtException e = assertThrows(MrtException.class, () -> new FloatExecutor(model, loaded.opTable(Map.of())));
      assertEquals("node " + firstTanh + ": no registered implementation of op Activation with act_type=tanh; a plugin "
          + "can provide it (drop its jar into the plugins directory, see `mrt plugins`)", e.getMessage());
    }
  }

  @Tag("full")
  @Test
  void withTheTanhPluginTheFloatExecutorMatchesMxnetOnTheTenThousandTestImages() throws IOException {
    // MODEL.md: MXNet 1.9.1's top-1 is 9903 of 10,000
    matchesMxnet("mxnet_predictions_t10k.txt", 10_000, 9_995, 9_903, 5);
  }

  @Test
  void withTheTanhPluginTheFloatExecutorMatchesMxnetOnThe500FixtureImages() throws IOException {
    // test-fixtures/models/README.md: MXNet's top-1 is 495 of the first 500
    matchesMxnet("mxnet_predictions_fixture.txt", 500, 499, 495, 1);
  }

  /**
   * Runs the test set with the tanh plugin: argmax equal to MXNet's on at least minAgree images,
   * top-1 within slack images of MXNet's.
   */
  private void matchesMxnet(String predictions, int images, int minAgree, int mxnetCorrect, int slack)
      throws IOException {
    PluginJars.install(plugins, PluginJars.TANH);
    Model model = model();
    Preprocessing pre = Preprocessing.divideBy255(-1, 1, 28, 28);
    ImageSet test = Datasets.load("mnist", shared().resolve("data/mnist"), Split.TEST, pre);
    List<String> reference = Files.readAllLines(shared().resolve("models/mnist-cnn-tanh").resolve(predictions));
    assertEquals(images, test.count());
    assertEquals(images, reference.size());
    int correct = 0;
    int sameAsMxnet = 0;
    try (LoadedPlugins loaded = PluginHost.load(plugins)) {
      FloatExecutor executor = new FloatExecutor(model, loaded.opTable(Map.of()));
      BatchIterator batches = BatchIterator.all(test, pre, 500);
      while (batches.hasNext()) {
        Batch b = batches.next();
        INDArray scores = executor.run(b.data()).get(0);
        assertEquals(List.of((long) b.size(), 10L), List.of(scores.size(0), scores.size(1)));
        INDArray argmax = scores.argMax(1);
        for (int i = 0; i < b.size(); i++) {
          int predicted = argmax.getInt(i);
          String[] ref = reference.get(b.offset() + i).trim().split("\\s+");
          assertEquals(Integer.parseInt(ref[0]), b.label(i), "label of test image " + (b.offset() + i));
          correct += predicted == b.label(i) ? 1 : 0;
          sameAsMxnet += predicted == Integer.parseInt(ref[1]) ? 1 : 0;
        }
      }
    }
    LOG.info("mnist-cnn-tanh float top-1 with the tanh plugin: {}/{} (MXNet {}); same argmax as MXNet on {}",
        correct, images, mxnetCorrect, sameAsMxnet);
    assertTrue(sameAsMxnet >= minAgree, "argmax agrees with MXNet on " + sameAsMxnet + " of " + images + " images");
    assertEquals(mxnetCorrect, correct, slack, "top-1 " + correct + "/" + images);
  }
}
