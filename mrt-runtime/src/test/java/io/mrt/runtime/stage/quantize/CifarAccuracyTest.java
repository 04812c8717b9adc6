package io.mrt.runtime.stage.quantize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mrt.api.graph.Shape;
import io.mrt.runtime.data.ImageSet;
import io.mrt.runtime.data.Layout;
import io.mrt.runtime.data.Preprocessing;
import io.mrt.runtime.data.Split;
import io.mrt.runtime.stage.calibrate.CalibrateOptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ResNet-20 on CIFAR-10 (../shared/models/cifar-resnet20-v1) through the whole pipeline: prepare
 * (BatchNorm folded into the convolutions, global average pooling into sum and multiply),
 * calibrate on 4 batches of 16 test images (the data folder holds only the test batch, as MRT's
 * own CIFAR config calibrates), quantize with INPUT_PRECISION 8 and OUTPUT_PRECISION 8 (MRT's
 * cifar_resnet20_v1.yaml), compile to the CVM and run the 10,000 test images with exact integer
 * semantics: top-1 within 0.5 points of float (real MXNet's figure; running the float model too
 * would double the test's time).
 */
@Tag("slow")
@Tag("full")
class CifarAccuracyTest {
  private static final Logger LOG = LoggerFactory.getLogger(CifarAccuracyTest.class);
  private static final Preprocessing PRE = new Preprocessing(1 / 255.0, new double[] {0.4914, 0.4822, 0.4465},
      new double[] {0.2023, 0.1994, 0.2010}, Layout.NCHW, new long[] {-1, 3, 32, 32});

  /** Real MXNet's float top-1 on this test set (MODEL.md; the float executor's own test reproduces it). */
  private static final double FLOAT_TOP1 = 0.8823;

  @Test
  void resnet20KeepsItsAccuracy() throws java.io.IOException {
    long t0 = System.nanoTime();
    ModelAccuracy.Prepared m = ModelAccuracy.prepare("cifar-resnet20-v1", Shape.of(1, 3, 32, 32));
    ImageSet test = ModelAccuracy.data("cifar10-q75", Split.TEST, PRE);
    QuantizeResult q = ModelAccuracy.quantize(m.prepared(), test, PRE, CalibrateOptions.of(16, 4),
        QuantizeOptions.defaults().withOutputPrecision(8));
    long t1 = System.nanoTime();
    ModelAccuracy.CvmFigures r = ModelAccuracy.cvmOnly("cifar-resnet20-v1", q, test, PRE, 100);
    long t2 = System.nanoTime();
    LOG.info("cifar-resnet20-v1: float top1={} (MXNet) | CVM top1={} (agreement with MXNet {}) over {}; "
        + "prepare+calibrate+quantize {} s, CVM {} s", FLOAT_TOP1, r.top1(), r.mxnetAgreement(), r.samples(),
        (t1 - t0) / 1e9, (t2 - t1) / 1e9);
    assertEquals(10000, r.samples());
    assertTrue(Math.abs(FLOAT_TOP1 - r.top1()) <= 0.005, r.toString());
  }
}
