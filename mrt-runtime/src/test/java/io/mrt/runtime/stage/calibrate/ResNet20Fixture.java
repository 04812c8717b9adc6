package io.mrt.runtime.stage.calibrate;

import io.mrt.api.graph.Model;
import io.mrt.api.graph.Shape;
import io.mrt.runtime.data.BatchIterator;
import io.mrt.runtime.data.Datasets;
import io.mrt.runtime.data.ImageSet;
import io.mrt.runtime.data.Layout;
import io.mrt.runtime.data.Preprocessing;
import io.mrt.runtime.data.Split;
import io.mrt.runtime.io.mxnet.ModelFiles;
import io.mrt.runtime.io.mxnet.MxnetModels;
import io.mrt.runtime.pass.PassContext;
import io.mrt.runtime.pass.PassManager;
import io.mrt.runtime.registry.OpTable;
import io.mrt.runtime.stage.prepare.PreparePasses;
import io.mrt.runtime.testutil.SharedDir;

/**
 * cifar_resnet20_v1 as the calibrate stage sees it (fixed and prepared for 1x3x32x32 inputs), and
 * its CIFAR-10 test images preprocessed as examples/cifar-resnet20-v1.yaml says, from the test data
 * directory ({@link SharedDir}).
 */
final class ResNet20Fixture {
  static final Preprocessing PRE = new Preprocessing(1 / 255.0, new double[] {0.4914, 0.4822, 0.4465},
      new double[] {0.2023, 0.1994, 0.2010}, Layout.NCHW, new long[] {-1, 3, 32, 32});

  private ResNet20Fixture() {
  }

  /** The prepared model. */
  static Model prepared(OpTable ops) {
    Model original = MxnetModels.load(ModelFiles.locate(SharedDir.get().resolve("models").resolve("cifar-resnet20-v1")));
    PassContext ctx = new PassContext(ops);
    Model fixed = new PassManager(PreparePasses.fixOriginal()).run(original, ctx);
    return new PassManager(PreparePasses.init(Shape.of(1, 3, 32, 32))).run(fixed, ctx);
  }

  /** {@code count} batches of {@code batch} test images. */
  static BatchIterator testBatches(int batch, int count) {
    ImageSet test = Datasets.load("cifar10", SharedDir.get().resolve("data").resolve("cifar10-q75"), Split.TEST, PRE);
    return BatchIterator.of(test, PRE, batch, count);
  }
}
