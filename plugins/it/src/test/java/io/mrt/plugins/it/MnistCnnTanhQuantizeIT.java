package io.mrt.plugins.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mrt.api.graph.Model;
import io.mrt.api.graph.Node;
import io.mrt.api.graph.Shape;
import io.mrt.runtime.data.Batch;
import io.mrt.runtime.data.BatchIterator;
import io.mrt.runtime.data.ClassificationAccuracy;
import io.mrt.runtime.data.Datasets;
import io.mrt.runtime.data.ImageSet;
import io.mrt.runtime.data.Preprocessing;
import io.mrt.runtime.data.Split;
import io.mrt.runtime.plugin.LoadedPlugins;
import io.mrt.runtime.plugin.PluginHost;
import io.mrt.runtime.registry.OpTable;
import io.mrt.runtime.stage.calibrate.CalibrateOptions;
import io.mrt.runtime.stage.calibrate.Calibrator;
import io.mrt.runtime.stage.quantize.IntegerSimulation;
import io.mrt.runtime.stage.quantize.QuantizeOptions;
import io.mrt.runtime.stage.quantize.QuantizePass;
import io.mrt.runtime.stage.quantize.QuantizeResult;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * mnist-cnn-tanh calibrated, quantized (tanh through the plugin's lookup table) and run as MRT's
 * integer simulation, with the tanh plugin jar from a plugins directory: the quantized top-1 stays
 * within 0.5 points of the float top-1 (MXNet: 99.03%).
 */
class MnistCnnTanhQuantizeIT {
  private static final Logger LOG = LoggerFactory.getLogger(MnistCnnTanhQuantizeIT.class);
  private static final Preprocessing PRE = Preprocessing.divideBy255(-1, 1, 28, 28);
  private static final int BATCH = 100;

  @TempDir
  Path plugins;

  private static Iterator<INDArray> calibrationBatches(ImageSet train, CalibrateOptions c) {
    BatchIterator it = BatchIterator.of(train, PRE, c.batch(), c.numCalib());
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return it.hasNext();
      }

      @Override
      public INDArray next() {
        return it.next().data();
      }
    };
  }

  @Tag("full")
  @Test
  void quantizedWithTheTanhLookupTableTheModelKeepsItsAccuracyInTheIntegerSimulation() {
    quantizeAndSimulate(10_000, 0.005);
  }

  @Test
  void quantizedWithTheTanhLookupTableTheModelKeepsItsAccuracyOnThe500FixtureImages() {
    quantizeAndSimulate(500, 0.01);
  }

  /** Calibrates on 4 batches of 16 training images, quantizes, and simulates the test set: top-1 near MXNet's float 99.03%. */
  private void quantizeAndSimulate(int images, double tolerance) {
    PluginJars.install(plugins, PluginJars.TANH);
    Model model = MnistCnnTanhIT.model();
    Path data = MnistCnnTanhIT.shared().resolve("data/mnist");
    ImageSet train = Datasets.load("mnist", data, Split.TRAIN, PRE);
    ImageSet test = Datasets.load("mnist", data, Split.TEST, PRE);
    try (LoadedPlugins loaded = PluginHost.load(plugins)) {
      OpTable ops = loaded.opTable(Map.of());
      CalibrateOptions c = CalibrateOptions.of(16, 4);
      Map<String, Double> th = new Calibrator(ops).run(model, calibrationBatches(train, c), c.numCalib(),
          c.calibrationMethod());
      QuantizeResult q = new QuantizePass(ops).run(model, th, QuantizeOptions.defaults(),
          Map.of("data", Shape.of(PRE.batchShape(1))));
      assertTrue(q.isInteger(), "nothing left in float: " + q.restored());
      List<String> luts = q.model().graph().ops().stream().filter(n -> n.op().equals("cvm_lut")).map(Node::name).toList();
      assertEquals(4, luts.size(), "one lookup table per tanh: " + luts);
      assertTrue(q.model().graph().ops().stream().noneMatch(n -> n.op().equals("Activation")), "no tanh left");

      IntegerSimulation sim = IntegerSimulation.of(q, ops);
      ClassificationAccuracy simulated = new ClassificationAccuracy();
      BatchIterator it = BatchIterator.all(test, PRE, BATCH);
      while (it.hasNext()) {
        Batch b = it.next();
        simulated.update(sim.run(b.data()).get(0), b.labels());
      }
      LOG.info("mnist-cnn-tanh quantized with the tanh plugin: simulated top-1 {} ({} images)",
          simulated.top1(), simulated.total());
      assertEquals(images, simulated.total());
      assertTrue(Math.abs(0.9903 - simulated.top1()) <= tolerance, "simulated top-1 " + simulated.top1());
    }
  }
}
