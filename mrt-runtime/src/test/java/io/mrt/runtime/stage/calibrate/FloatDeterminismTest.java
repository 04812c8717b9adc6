package io.mrt.runtime.stage.calibrate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mrt.api.graph.Model;
import io.mrt.api.graph.Node;
import io.mrt.api.graph.Shape;
import io.mrt.runtime.data.BatchIterator;
import io.mrt.runtime.data.Datasets;
import io.mrt.runtime.data.ImageSet;
import io.mrt.runtime.data.Layout;
import io.mrt.runtime.data.Preprocessing;
import io.mrt.runtime.data.Split;
import io.mrt.runtime.exec.fp.FloatExecutor;
import io.mrt.runtime.io.mxnet.ModelFiles;
import io.mrt.runtime.io.mxnet.MxnetModels;
import io.mrt.runtime.pass.PassContext;
import io.mrt.runtime.pass.PassManager;
import io.mrt.runtime.registry.OpTable;
import io.mrt.runtime.stage.prepare.PreparePasses;
import io.mrt.runtime.testutil.SharedDir;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.nativeblas.NativeOps;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * The float side gives the same bits on every run: the calibration thresholds of ResNet-20 (the
 * fixture model, prepared as the prepare stage does: BatchNorm folded) over two batches of 4
 * CIFAR-10 test images, and every node output of the float forward, compared bit for bit between
 * two runs, between one and two native (OpenMP/oneDNN) threads, and while another thread runs the
 * same executor. Thresholds are compared as {@code Double.doubleToLongBits}, arrays as their float
 * bits. Across CPUs with different vector units (AVX-512, AVX2, SSE4.1) oneDNN runs other kernels
 * whose sums round differently, which this machine-local test cannot cover (docs/results.md).
 */
class FloatDeterminismTest {
  private static final OpTable OPS = OpTable.load();
  private static final Preprocessing PRE = new Preprocessing(1 / 255.0, new double[] {0.4914, 0.4822, 0.4465},
      new double[] {0.2023, 0.1994, 0.2010}, Layout.NCHW, new long[] {-1, 3, 32, 32});

  private static Model fixed;
  private static Model prepared;
  private static List<INDArray> batches;

  @BeforeAll
  static void load() {
    Model original = MxnetModels.load(ModelFiles.locate(SharedDir.get().resolve("models").resolve("cifar-resnet20-v1")));
    PassContext ctx = new PassContext(OPS);
    fixed = new PassManager(PreparePasses.fixOriginal()).run(original, ctx);
    prepared = new PassManager(PreparePasses.init(Shape.of(1, 3, 32, 32))).run(fixed, ctx);
    ImageSet test = Datasets.load("cifar10", SharedDir.get().resolve("data").resolve("cifar10-q75"), Split.TEST, PRE);
    batches = new ArrayList<>();
    BatchIterator it = BatchIterator.of(test, PRE, 4, 2);
    while (it.hasNext()) {
      batches.add(it.next().data());
    }
    assertEquals(2, batches.size());
  }

  /** Runs {@code body} with {@code threads} native threads on the calling thread, then restores the count. */
  private static <T> T withThreads(int threads, Supplier<T> body) {
    // ND4J's backend is loaded by then (the model's parameters are ND4J arrays)
    NativeOps nativeOps = NativeOpsHolder.getInstance().getDeviceNativeOps();
    int before = nativeOps.ompGetMaxThreads();
    nativeOps.setOmpNumThreads(threads);
    try {
      assertEquals(threads, nativeOps.ompGetMaxThreads(), "the native thread count did not change");
      return body.get();
    } finally {
      nativeOps.setOmpNumThreads(before);
    }
  }

  /** Every threshold as its 64 bits, by key in graph order. */
  private static Map<String, Long> thresholdBits(CalibrationMethod method) {
    Map<String, Double> th = new Calibrator(OPS).run(prepared, batches.iterator(), batches.size(), method);
    Map<String, Long> bits = new LinkedHashMap<>();
    th.forEach((k, v) -> bits.put(k, Double.doubleToLongBits(v)));
    return bits;
  }

  private static int[] bits(INDArray a) {
    float[] v = a.dup('c').data().asFloat();
    int[] b = new int[v.length];
    for (int i = 0; i < v.length; i++) {
      b[i] = Float.floatToRawIntBits(v[i]);
    }
    return b;
  }

  /** Every node output of an observed run (every node as the graph states it), in graph order. */
  private static Map<String, int[]> allOutputs(FloatExecutor exec, INDArray x) {
    Map<String, int[]> out = new LinkedHashMap<>();
    for (Map.Entry<Node, List<INDArray>> e : exec.runAll(Map.of(exec.inputs().get(0).name(), x)).entrySet()) {
      for (int i = 0; i < e.getValue().size(); i++) {
        out.put(e.getKey().name() + "[" + i + "]", bits(e.getValue().get(i)));
      }
    }
    return out;
  }

  private static void assertSameBits(Map<String, int[]> expected, Map<String, int[]> actual, String what) {
    assertEquals(expected.keySet(), actual.keySet(), what);
    for (String k : expected.keySet()) {
      assertArrayEquals(expected.get(k), actual.get(k), what + ": " + k);
    }
  }

  @Test
  void absMaxThresholdsAreBitIdenticalOnASecondRunAndWithOneThread() {
    CalibrationMethod m = CalibrateOptions.of(4, 2).calibrationMethod();
    assertEquals("abs_max", m.name());
    Map<String, Long> first = withThreads(2, () -> thresholdBits(m));
    assertEquals(prepared.graph().nodes().stream().mapToInt(Node::numOutputs).sum(), first.size());
    assertEquals(first, withThreads(2, () -> thresholdBits(m)));
    assertEquals(first, withThreads(1, () -> thresholdBits(m)));
  }

  @Test
  void lambdaPercentileAndKlThresholdsAreBitIdenticalWithOneAndTwoThreads() {
    for (CalibrationMethod m : List.of(CalibrateOptions.of(4, 2).withMethod("lambda", 10.0).calibrationMethod(),
        CalibrateOptions.of(4, 2).withMethod("percentile", null).calibrationMethod(),
        CalibrateOptions.of(4, 2).withMethod("kl", null).calibrationMethod())) {
      assertEquals(withThreads(2, () -> thresholdBits(m)), withThreads(1, () -> thresholdBits(m)), m.name());
    }
  }

  /** Every method's threshold of every node output, as bits, from one observed run per batch. */
  private static Map<String, Long> observedThresholdBits(CalibrationMethod method, boolean anyLayout,
      List<String> stridedOutputs) {
    FloatExecutor exec = new FloatExecutor(prepared, OPS);
    Map<String, CalibrationMethod.Observer> observers = new LinkedHashMap<>();
    for (INDArray x : batches) {
      exec.run(Map.of(exec.inputs().get(0).name(), x), new io.mrt.runtime.exec.fp.NodeObserver() {
        @Override
        public void observe(Node node, List<INDArray> in, List<INDArray> out) {
          for (int i = 0; i < node.numOutputs(); i++) {
            String key = Calibrator.key(node.out(i));
            if (!rowMajor(out.get(i))) {
              stridedOutputs.add(key);
            }
            observers.computeIfAbsent(key, k -> method.observer()).observe(ObservedValues.of(out.get(i)));
          }
        }

        @Override
        public boolean readsInputs(Node node) {
          return false;
        }

        @Override
        public boolean readsAnyLayout(Node node) {
          return anyLayout;
        }
      });
    }
    Map<String, Long> bits = new LinkedHashMap<>();
    observers.forEach((k, o) -> bits.put(k, Double.doubleToLongBits(o.threshold())));
    return bits;
  }

  private static boolean rowMajor(INDArray a) {
    long expected = 1;
    for (int d = a.rank() - 1; d >= 0; d--) {
      if (a.size(d) != 1 && a.stride(d) != expected) {
        return false;
      }
      expected *= a.size(d);
    }
    return true;
  }

  /**
   * The observed run keeps activations NHWC between convolutions and element-wise ops when the
   * observer reads any layout; every method's statistics read them in place in storage order and
   * give the same threshold bits as over the row-major arrays of a run that keeps none.
   */
  @Test
  void everyMethodsThresholdsAreTheSameBitsWhetherTheObservedRunKeepsNhwcActivationsOrNot() {
    for (CalibrationMethod m : List.of(CalibrateOptions.of(4, 2).calibrationMethod(),
        CalibrateOptions.of(4, 2).withMethod("lambda", 10.0).calibrationMethod(),
        CalibrateOptions.of(4, 2).withMethod("percentile", null).calibrationMethod(),
        CalibrateOptions.of(4, 2).withMethod("kl", null).calibrationMethod())) {
      List<String> strided = new ArrayList<>();
      Map<String, Long> nhwc = observedThresholdBits(m, true, strided);
      List<String> none = new ArrayList<>();
      Map<String, Long> rowMajor = observedThresholdBits(m, false, none);
      assertTrue(strided.size() > 20, m.name() + ": outputs shown as NHWC views: " + strided.size());
      assertEquals(List.of(), none, m.name() + ": a run that keeps no layout shows row-major arrays only");
      assertEquals(rowMajor, nhwc, m.name());
    }
  }

  /** The plain run (BatchNorm folded by the executor, element-wise ops in place) and the observed run. */
  @Test
  void everyNodeOutputAndTheHeadAreBitIdenticalOnEveryRunAndThreadCount() {
    FloatExecutor exec = new FloatExecutor(fixed, OPS);
    INDArray x = batches.get(0);
    int[] head = withThreads(2, () -> bits(exec.run(x).get(0)));
    assertEquals(4 * 10, head.length);
    assertArrayEquals(head, withThreads(2, () -> bits(exec.run(x).get(0))));
    assertArrayEquals(head, withThreads(1, () -> bits(exec.run(x).get(0))));
    Map<String, int[]> all = withThreads(2, () -> allOutputs(exec, x));
    assertSameBits(all, withThreads(2, () -> allOutputs(exec, x)), "second run");
    assertSameBits(all, withThreads(1, () -> allOutputs(exec, x)), "one thread");
  }

  /** The evaluate stage runs the float forward on a thread of its own while other threads decode and run the CVM. */
  @Test
  void theHeadIsBitIdenticalWhenThreeThreadsRunTheExecutorAtOnce() throws Exception {
    FloatExecutor exec = new FloatExecutor(fixed, OPS);
    INDArray x = batches.get(1);
    int[] alone = bits(exec.run(x).get(0));
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try {
      List<Callable<int[]>> runs = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        runs.add(() -> bits(exec.run(x).get(0)));
      }
      for (Future<int[]> f : pool.invokeAll(runs)) {
        assertArrayEquals(alone, f.get());
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
