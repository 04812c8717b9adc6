package io.mrt.runtime.stage.compile;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mrt.api.graph.Attrs;
import io.mrt.api.graph.Entry;
import io.mrt.api.graph.Graph;
import io.mrt.api.graph.Model;
import io.mrt.api.graph.Node;
import io.mrt.api.graph.Shape;
import io.mrt.runtime.exec.cvm.CvmExecutor;
import io.mrt.runtime.exec.cvm.CvmResult;
import io.mrt.runtime.exec.fp.FloatExecutor;
import io.mrt.runtime.io.cvm.CvmModel;
import io.mrt.runtime.io.cvm.CvmNode;
import io.mrt.runtime.registry.OpTable;
import io.mrt.runtime.stage.calibrate.CalibrateOptions;
import io.mrt.runtime.stage.calibrate.Calibrator;
import io.mrt.runtime.stage.quantize.IntegerSimulation;
import io.mrt.runtime.stage.quantize.QuantizeOptions;
import io.mrt.runtime.stage.quantize.QuantizePass;
import io.mrt.runtime.stage.quantize.QuantizeResult;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Float graphs calibrated and quantized by the real stages, then compiled: every op the quantize
 * stage leaves (including the nodes it builds itself for softmax, sigmoid and exp) lowers, the
 * model passes the CVM executor's load checks, and the CVM output is the integer simulation's
 * output exactly.
 */
class QuantizedGraphLoweringTest {
  private static final OpTable OPS = OpTable.load();

  /** Deterministic values in [-1, 1): a fixed linear congruential sequence. */
  private static double[] values(int n, long seed) {
    double[] v = new double[n];
    long s = seed;
    for (int i = 0; i < n; i++) {
      s = (s * 6364136223846793005L + 1442695040888963407L);
      v[i] = ((s >>> 11) % 2000) / 1000.0 - 1.0;
    }
    return v;
  }

  private static INDArray f32(long[] shape, double[] v) {
    return Nd4j.create(v, shape, DataType.DOUBLE).castTo(DataType.FLOAT);
  }

  private static Entry op(String op, String name, Attrs attrs, Entry... in) {
    return Node.op(op, name, attrs, in).out();
  }

  /** The model quantized after an abs-max calibration on {@code calib}. */
  private static QuantizeResult quantize(Model m, long[] shape, INDArray calib) {
    Map<String, Double> th = new Calibrator(OPS).run(m, List.of(calib).iterator(), 1,
        CalibrateOptions.of((int) shape[0], 1).calibrationMethod());
    QuantizeResult q = new QuantizePass(OPS).run(m, th, QuantizeOptions.defaults(), Map.of("data", Shape.of(shape)));
    assertTrue(q.isInteger());
    return q;
  }

  private static TreeSet<String> cvmOps(CvmModel m) {
    TreeSet<String> ops = new TreeSet<>();
    for (CvmNode n : m.graph().nodes()) {
      if (!n.isVariable()) {
        ops.add(n.funcName());
      }
    }
    return ops;
  }

  /** Runs the compiled model and the integer simulation on {@code x}; asserts equal integers per head. */
  private static CvmResult assertSameAsSimulation(QuantizeResult q, CvmModel compiled, INDArray x) {
    CvmExecutor exec = CvmExecutor.load(compiled, "test");
    INDArray xq = IntegerSimulation.quantizeInput(x, q.inputScale(), q.inputPrecision());
    int[] in = xq.castTo(DataType.DOUBLE).dup('c').data().asInt();
    CvmResult r = exec.run(in);
    List<INDArray> sim = IntegerSimulation.of(q, OPS).runIntegers(x);
    assertEquals(sim.size(), r.outputs().size());
    for (int h = 0; h < sim.size(); h++) {
      int[] expected = sim.get(h).castTo(DataType.DOUBLE).dup('c').data().asInt();
      assertArrayEquals(expected, r.outputs().get(h).values(), "head " + h);
    }
    return r;
  }

  @Test
  void softmaxSigmoidAndExpTablesLowerAndMatchTheIntegerSimulation() {
    Map<String, INDArray> params = new LinkedHashMap<>();
    params.put("fc_weight", f32(new long[] {4, 6}, values(24, 1)));
    params.put("fc_bias", f32(new long[] {4}, values(4, 2)));
    Entry data = Node.variable("data", Attrs.empty()).out();
    Entry fc = op("FullyConnected", "fc", Attrs.of("num_hidden", "4"), data,
        Node.variable("fc_weight", Attrs.empty()).out(), Node.variable("fc_bias", Attrs.empty()).out());
    params.put("half_c", f32(new long[] {1}, new double[] {0.5}));
    Model m = new Model(Graph.of(
        op("softmax", "prob", Attrs.of("axis", "-1"), fc),
        op("Activation", "sig", Attrs.of("act_type", "sigmoid"), fc),
        op("exp", "ex", Attrs.empty(), op("broadcast_mul", "half", Attrs.empty(), fc,
            Node.variable("half_c", Attrs.empty()).out()))), params);
    long[] shape = {3, 6};
    INDArray calib = f32(shape, values(18, 3));
    QuantizeResult q = quantize(m, shape, calib);
    CvmModel compiled = CvmCompiler.compile(q.model(), OPS, shape);
    assertEquals(new TreeSet<>(List.of("broadcast_add", "broadcast_div", "broadcast_mul", "broadcast_sub", "cvm_clip",
        "cvm_lut", "cvm_right_shift", "dense", "max", "relu", "sum")), cvmOps(compiled));
    CvmResult r = assertSameAsSimulation(q, compiled, calib);
    // the most probable class of each row is the float model's (the probabilities themselves are coarse:
    // MRT's softmax clips the table index to 8 bits, so inputs near the row maximum share one table entry)
    List<INDArray> ref = new FloatExecutor(m, OPS).run(Map.of("data", calib));
    double[] pf = ref.get(0).castTo(DataType.DOUBLE).dup('c').data().asDouble();
    int[] p = r.outputs().get(0).values();
    for (int row = 0; row < 3; row++) {
      assertEquals(argmax(pf, row * 4, 4), argmax(p, row * 4, 4), "row " + row);
    }
  }

  private static int argmax(double[] v, int from, int n) {
    int best = 0;
    for (int i = 1; i < n; i++) {
      if (v[from + i] > v[from + best]) {
        best = i;
      }
    }
    return best;
  }

  private static int argmax(int[] v, int from, int n) {
    double[] d = new double[n];
    for (int i = 0; i < n; i++) {
      d[i] = v[from + i];
    }
    return argmax(d, 0, n);
  }

  @Test
  void shapeComparisonAndSelectionOpsLowerAndMatchTheIntegerSimulation() {
    Map<String, INDArray> params = new LinkedHashMap<>();
    params.put("conv_weight", f32(new long[] {2, 1, 3, 3}, values(18, 4)));
    params.put("conv_bias", f32(new long[] {2}, values(2, 5)));
    params.put("limit", f32(new long[] {1, 2, 1, 1}, new double[] {0.1, -0.2}));
    params.put("fc_weight", f32(new long[] {3, 48}, values(144, 6)));
    Entry data = Node.variable("data", Attrs.empty()).out();
    Entry conv = op("Convolution", "conv", Attrs.of("kernel", "(3, 3)", "num_filter", "2", "pad", "(1, 1)"), data,
        Node.variable("conv_weight", Attrs.empty()).out(), Node.variable("conv_bias", Attrs.empty()).out());
    Entry pool = op("Pooling", "pool", Attrs.of("kernel", "(2, 2)", "stride", "(2, 2)", "pool_type", "max"), conv);
    Entry neg = op("negative", "neg", Attrs.empty(), pool);
    Entry absv = op("abs", "absv", Attrs.empty(), neg);
    Entry gt = op("_greater_scalar", "gt", Attrs.of("scalar", "0.05"), pool);
    Entry sel = op("where", "sel", Attrs.empty(), gt, pool, neg);
    Entry mx = op("_maximum", "mx", Attrs.empty(), pool, neg);
    Entry bg = op("broadcast_greater", "bg", Attrs.empty(), pool, Node.variable("limit", Attrs.empty()).out());
    Entry tiled = op("tile", "tiled", Attrs.of("reps", "(1, 1, 1, 2)"), pool);
    Entry rep = op("repeat", "rep", Attrs.of("repeats", "2", "axis", "3"), pool);
    Entry back = op("slice_like", "back", Attrs.of("axes", "(3,)"), op("elemwise_add", "sum2", Attrs.empty(), tiled, rep), pool);
    Entry cat = op("Concat", "cat", Attrs.of("dim", "1", "num_args", "6"), absv, sel, mx, bg, back,
        op("relu", "r", Attrs.empty(), neg));
    Entry flat = op("Flatten", "flat", Attrs.empty(), cat);
    Entry fc = op("FullyConnected", "fc", Attrs.of("num_hidden", "3", "no_bias", "True"), flat,
        Node.variable("fc_weight", Attrs.empty()).out());
    Model m = new Model(Graph.of(fc, op("sum", "total", Attrs.of("axis", "(2, 3)"), sel)), params);
    long[] shape = {2, 1, 4, 4};
    INDArray calib = f32(shape, values(32, 7));
    QuantizeResult q = quantize(m, shape, calib);
    CvmModel compiled = CvmCompiler.compile(q.model(), OPS, shape);
    TreeSet<String> ops = cvmOps(compiled);
    for (String o : List.of("conv2d", "max_pool2d", "negative", "abs", "broadcast_greater", "where", "broadcast_max",
        "tile", "repeat", "slice_like", "elemwise_add", "concatenate", "flatten", "dense", "relu", "sum")) {
      assertTrue(ops.contains(o), o + " missing from " + ops);
    }
    assertSameAsSimulation(q, compiled, calib);
    assertSameAsSimulation(q, compiled, f32(shape, values(32, 8)));
  }
}
