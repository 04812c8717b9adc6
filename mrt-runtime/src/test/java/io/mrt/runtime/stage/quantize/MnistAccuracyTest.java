package io.mrt.runtime.stage.quantize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mrt.api.graph.Model;
import io.mrt.runtime.data.ImageSet;
import io.mrt.runtime.data.Preprocessing;
import io.mrt.runtime.data.Split;
import io.mrt.runtime.stage.evaluate.EvalResult;
import io.mrt.runtime.stage.calibrate.CalibrateOptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MNIST models of ../shared, calibrated on 4 batches of 16 training images and quantized with
 * MRT's defaults, compiled to the CVM and run with exact integer semantics, keep their float top-1
 * within 0.5 points on the 10,000 test images (tag full), and within 1 point on the 500 test
 * images of test-fixtures (calibrated on its 500 training images).
 */
@Tag("slow")
class MnistAccuracyTest {
  private static final Logger LOG = LoggerFactory.getLogger(MnistAccuracyTest.class);
  private static final Preprocessing PRE = Preprocessing.divideBy255(-1, 1, 28, 28);

  private static EvalResult run(String folder) {
    Model model = ModelAccuracy.load(folder);
    ImageSet train = ModelAccuracy.data("mnist", Split.TRAIN, PRE);
    ImageSet test = ModelAccuracy.data("mnist", Split.TEST, PRE);
    QuantizeResult q = ModelAccuracy.quantize(model, train, PRE, CalibrateOptions.of(16, 4), QuantizeOptions.defaults());
    ModelAccuracy.Figures sim = ModelAccuracy.measure(model, q, test, PRE, 500);
    EvalResult cvm = ModelAccuracy.measureCvm(folder, model, q, test, PRE, 500);
    LOG.info("{}: float top1={} | simulated top1={} | CVM top1={} (agreement {}) over {}", folder, cvm.floatTop1(),
        sim.quantizedTop1(), cvm.quantTop1(), cvm.agreement(), cvm.total());
    LOG.info(cvm.line());
    return cvm;
  }

  @Test
  void mlpKeepsItsAccuracyOnThe500FixtureImages() {
    EvalResult f = run("mnist-mlp-advosbig");
    assertEquals(500, f.total());
    assertEquals(0.946, f.floatTop1(), 1e-9); // MXNet's 473 of 500
    assertTrue(Math.abs(f.floatTop1() - f.quantTop1()) <= 0.01, f.line());
  }

  @Test
  void lenetKeepsItsAccuracyOnThe500FixtureImages() {
    EvalResult f = run("mnist-lenet-fcrc");
    assertEquals(500, f.total());
    assertEquals(0.954, f.floatTop1(), 1e-9); // MXNet's 477 of 500
    assertTrue(Math.abs(f.floatTop1() - f.quantTop1()) <= 0.01, f.line());
  }

  @Tag("full")
  @Test
  void mlpKeepsItsAccuracy() {
    EvalResult f = run("mnist-mlp-advosbig");
    assertEquals(10000, f.total());
    assertEquals(0.9533, f.floatTop1(), 1e-9);
    assertTrue(Math.abs(f.floatTop1() - f.quantTop1()) <= 0.005, f.line());
  }

  @Tag("full")
  @Test
  void lenetKeepsItsAccuracy() {
    EvalResult f = run("mnist-lenet-fcrc");
    assertEquals(10000, f.total());
    assertEquals(0.9506, f.floatTop1(), 1e-9);
    assertTrue(Math.abs(f.floatTop1() - f.quantTop1()) <= 0.005, f.line());
  }
}
