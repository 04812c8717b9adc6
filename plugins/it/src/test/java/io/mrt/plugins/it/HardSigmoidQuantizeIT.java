package io.mrt.plugins.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mrt.api.graph.Attrs;
import io.mrt.api.graph.Graph;
import io.mrt.api.graph.Model;
import io.mrt.api.graph.Node;
import io.mrt.api.graph.Shape;
import io.mrt.runtime.exec.fp.FloatExecutor;
import io.mrt.runtime.plugin.LoadedPlugins;
import io.mrt.runtime.plugin.PluginHost;
import io.mrt.runtime.registry.OpTable;
import io.mrt.runtime.stage.calibrate.CalibrationMethod;
import io.mrt.runtime.stage.calibrate.Calibrator;
import io.mrt.runtime.stage.calibrate.CalibrateOptions;
import io.mrt.runtime.stage.quantize.IntegerSimulation;
import io.mrt.runtime.stage.quantize.QuantizeOptions;
import io.mrt.runtime.stage.quantize.QuantizePass;
import io.mrt.runtime.stage.quantize.QuantizeResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The hard-sigmoid plugin through the real quantize stage: a small dense network with a
 * hard_sigmoid in the middle is calibrated, quantized (the plugin's lookup table) and simulated,
 * and the integer outputs track the float ones.
 */
class HardSigmoidQuantizeIT {
  @TempDir
  Path plugins;

  private static INDArray uniform(Random r, double lo, double hi, long... shape) {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    float[] v = new float[(int) n];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) (lo + (hi - lo) * r.nextDouble());
    }
    return Nd4j.create(v, shape, 'c');
  }

  @Test
  void aDenseNetworkWithHardSigmoidQuantizesToALookupTableAndTracksItsFloatOutputs() {
    PluginJars.install(plugins, PluginJars.HARD_SIGMOID);
    Random r = new Random(20261128);
    Node data = Node.variable("data", Attrs.of("__shape__", "(16, 4)"));
    Node fc1 = Node.op("FullyConnected", "fc1", Attrs.of("num_hidden", "8"), data.out(),
        Node.variable("fc1_weight", Attrs.empty()).out(), Node.variable("fc1_bias", Attrs.empty()).out());
    Node hs = Node.op("hard_sigmoid", "hs", Attrs.of("alpha", "0.3"), fc1.out());
    Node fc2 = Node.op("FullyConnected", "fc2", Attrs.of("num_hidden", "3"), hs.out(),
        Node.variable("fc2_weight", Attrs.empty()).out(), Node.variable("fc2_bias", Attrs.empty()).out());
    Model model = new Model(Graph.of(fc2.out()), Map.of(
        "fc1_weight", uniform(r, -1, 1, 8, 4), "fc1_bias", uniform(r, -0.5, 0.5, 8),
        "fc2_weight", uniform(r, -1, 1, 3, 8), "fc2_bias", uniform(r, -0.5, 0.5, 3)));
    List<INDArray> calibration = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      calibration.add(uniform(r, -2, 2, 16, 4));
    }
    INDArray test = uniform(r, -2, 2, 16, 4);

    try (LoadedPlugins loaded = PluginHost.load(plugins)) {
      OpTable ops = loaded.opTable(Map.of());
      CalibrationMethod absMax = CalibrateOptions.of(16, 4).calibrationMethod();
      Map<String, Double> th = new Calibrator(ops).run(model, calibration.iterator(), 4, absMax);
      QuantizeResult q = new QuantizePass(ops).run(model, th, QuantizeOptions.defaults(),
          Map.of("data", Shape.of(1, 4)));
      Node lut = q.model().graph().node("hs").orElseThrow();
      assertEquals("cvm_lut", lut.op());
      assertEquals("255", lut.attrs().getString("in_dim"));

      INDArray expected = new FloatExecutor(model, ops).run(test).get(0).castTo(DataType.DOUBLE);
      INDArray simulated = IntegerSimulation.of(q, ops).run(test).get(0);
      double range = expected.amaxNumber().doubleValue();
      double worst = simulated.sub(expected).amaxNumber().doubleValue();
      assertTrue(worst <= 0.03 * range, "largest error " + worst + " for outputs up to " + range);
    }
  }
}
