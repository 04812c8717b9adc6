package io.mrt.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mrt.api.graph.Model;
import io.mrt.runtime.data.Datasets;
import io.mrt.runtime.data.ImageSet;
import io.mrt.runtime.data.Preprocessing;
import io.mrt.runtime.data.Split;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One training step of each architecture on 256 real images, exported with the project's writer,
 * loaded back into real MXNet: the exported model gives the trained model's outputs.
 */
class TrainSmokeTest {
  private static ImageSet mnistTrain;
  private static ImageSet mnistTest;
  private static ImageSet fashionTrain;
  private static ImageSet fashionTest;
  private static final Preprocessing PREP = Preprocessing.divideBy255(-1, 1, 28, 28);
  private static final TrainingRun.Options ONE_STEP = new TrainingRun.Options(1, 64, 1e-3f, 7, 1);

  @TempDir Path dir;

  @BeforeAll
  static void load() {
    Path shared = Path.of(System.getProperty("mrt.shared.dir", "../../test-fixtures")).resolve("data");
    mnistTrain = Datasets.load("mnist", shared.resolve("mnist"), Split.TRAIN, PREP).slice(0, 256);
    mnistTest = Datasets.load("mnist", shared.resolve("mnist"), Split.TEST, PREP).slice(0, 500);
    fashionTrain = Datasets.load("fashion_mnist", shared.resolve("fashion-mnist"), Split.TRAIN, PREP).slice(0, 256);
    fashionTest = Datasets.load("fashion_mnist", shared.resolve("fashion-mnist"), Split.TEST, PREP).slice(0, 500);
  }

  @Test
  void dappTrainedOneStepExportsToMxnetFilesThatGiveTheSameLogits() throws Exception {
    Net net = Architecture.DAPP.build();
    TrainingRun.Result r = TrainingRun.run("dapp", net, mnistTrain, mnistTest, PREP, ONE_STEP, null);
    assertEquals(1, r.steps());
    Model m = r.model();
    assertArrayEquals(new long[] {16, 1, 3, 3}, m.params().get("dapp_conv0_weight").shape());
    assertArrayEquals(new long[] {128, 64, 1, 1}, m.params().get("dapp_conv3_weight").shape());
    assertArrayEquals(new long[] {10, 3200}, m.params().get("dapp_dense0_weight").shape());
    assertEquals(63_626, m.params().values().stream().mapToLong(a -> a.length()).sum());

    float[][] exported = exportAndRun(m, net, mnistTest);
    for (int i = 0; i < exported.length; i++) {
      assertArrayEquals(r.firstBatchLogits()[i], exported[i], 1e-4f, "test image " + i);
    }
  }

  @Test
  void fashionResnetTrainedOneStepExportsWithBatchNormStatsAndSoftmax() throws Exception {
    Net net = Architecture.FASHION_RESNET.build();
    TrainingRun.Result r = TrainingRun.run("fashion-resnet", net, fashionTrain, fashionTest, PREP, ONE_STEP, null);
    Model m = r.model();
    // one training step moved the running variance away from its initial 1 (momentum 0.9)
    float var0 = m.params().get("fres_batchnorm0_running_var").getFloat(0);
    assertTrue(var0 != 1f, "running_var[0] = " + var0);
    float[][] exported = exportAndRun(m, net, fashionTest);
    for (int i = 0; i < exported.length; i++) {
      assertArrayEquals(softmax(r.firstBatchLogits()[i]), exported[i], 1e-5f, "test image " + i);
    }
  }

  @Test
  void fashionMobilenetv2TrainedOneStepExportsDepthwiseWeightsAndGivesTheSameProbabilities() throws Exception {
    Net net = Architecture.FASHION_MOBILENETV2.build();
    TrainingRun.Result r = TrainingRun.run("fashion-mobilenetv2", net, fashionTrain, fashionTest, PREP, ONE_STEP, null);
    Model m = r.model();
    // depthwise: one 3x3 kernel per channel (weight O x C/groups x 3 x 3 with groups = channels)
    assertArrayEquals(new long[] {48, 1, 3, 3}, m.params().get("fmv2_conv4_weight").shape());
    assertArrayEquals(new long[] {12, 48, 1, 1}, m.params().get("fmv2_conv5_weight").shape());
    assertEquals(56, net.builder().auxNames().size());
    float[][] exported = exportAndRun(m, net, fashionTest);
    for (int i = 0; i < exported.length; i++) {
      assertArrayEquals(softmax(r.firstBatchLogits()[i]), exported[i], 1e-5f, "test image " + i);
    }
  }

  @Test
  void twoRunsWithTheSameSeedGiveIdenticalParameters() {
    TrainingRun.Options twoSteps = new TrainingRun.Options(1, 64, 1e-3f, 11, 2);
    Model a = TrainingRun.run("dapp", Architecture.DAPP.build(), mnistTrain, mnistTest, PREP, twoSteps, null).model();
    Model b = TrainingRun.run("dapp", Architecture.DAPP.build(), mnistTrain, mnistTest, PREP, twoSteps, null).model();
    assertEquals(a.params().keySet(), b.params().keySet());
    a.params().forEach((name, value) ->
        assertArrayEquals(value.reshape(value.length()).toFloatVector(),
            b.params().get(name).reshape(value.length()).toFloatVector(), 0f, name));
  }

  private float[][] exportAndRun(Model m, Net net, ImageSet test) {
    Path symbol = dir.resolve("net-symbol.json");
    Path params = dir.resolve("net-0000.params");
    Export.write(m, net.builder().auxNames(), symbol, params);
    int n = 50;
    float[] x = new float[n * test.sampleSize()];
    PREP.fill(test, 0, n, x);
    try (MxnetReference ref = MxnetReference.load(symbol, params)) {
      return ref.forward(x, PREP.batchShape(n));
    }
  }

  private static float[] softmax(float[] v) {
    double max = Double.NEGATIVE_INFINITY;
    for (float f : v) {
      max = Math.max(max, f);
    }
    double sum = 0;
    double[] e = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      e[i] = Math.exp(v[i] - max);
      sum += e[i];
    }
    float[] out = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = (float) (e[i] / sum);
    }
    return out;
  }
}
