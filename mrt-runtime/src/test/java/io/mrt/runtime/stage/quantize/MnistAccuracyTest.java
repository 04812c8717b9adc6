package io.mrt.runtime.stage.quantize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mrt.api.graph.Model;
import io.mrt.runtime.data.ImageSet;
import io.mrt.runtime.data.Preprocessing;
import io.mrt.runtime.data.Split;
import io.mrt.runtime.stage.calibrate.CalibrateOptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MNIST models of ../shared, calibrated on training images and quantized with MRT's defaults,
 * keep their float top-1 within 0.5 points on the 10,000 test images.
 */
@Tag("slow")
class MnistAccuracyTest {
  private static final Logger LOG = LoggerFactory.getLogger(MnistAccuracyTest.class);
  private static final Preprocessing PRE = Preprocessing.divideBy255(-1, 1, 28, 28);

  private static ModelAccuracy.Figures run(String folder) {
    Model model = ModelAccuracy.load(folder);
    ImageSet train = ModelAccuracy.data("mnist", Split.TRAIN, PRE);
    ImageSet test = ModelAccuracy.data("mnist", Split.TEST, PRE);
    QuantizeResult q = ModelAccuracy.quantize(model, train, PRE, CalibrateOptions.of(16, 4), QuantizeOptions.defaults());
    ModelAccuracy.Figures f = ModelAccuracy.measure(model, q, test, PRE, 500);
    LOG.info("{}: float top1={} quantized (simulated) top1={} over {}", folder, f.floatTop1(), f.quantizedTop1(), f.samples());
    return f;
  }

  @Test
  void mlpKeepsItsAccuracy() {
    ModelAccuracy.Figures f = run("mnist-mlp-advosbig");
    assertEquals(10000, f.samples());
    assertEquals(0.9533, f.floatTop1(), 1e-9);
    assertTrue(Math.abs(f.floatTop1() - f.quantizedTop1()) <= 0.005, f.toString());
  }

  @Test
  void lenetKeepsItsAccuracy() {
    ModelAccuracy.Figures f = run("mnist-lenet-fcrc");
    assertEquals(10000, f.samples());
    assertEquals(0.9506, f.floatTop1(), 1e-9);
    assertTrue(Math.abs(f.floatTop1() - f.quantizedTop1()) <= 0.005, f.toString());
  }
}
