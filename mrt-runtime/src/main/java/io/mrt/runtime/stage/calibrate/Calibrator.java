package io.mrt.runtime.stage.calibrate;

import io.mrt.api.graph.Attrs;
import io.mrt.api.graph.Entry;
import io.mrt.api.graph.Model;
import io.mrt.api.graph.Node;
import io.mrt.api.hook.CalibrateContext;
import io.mrt.api.hook.CalibrateHook;
import io.mrt.api.registry.HookType;
import io.mrt.runtime.MrtException;
import io.mrt.runtime.exec.fp.FloatExecutor;
import io.mrt.runtime.exec.fp.NodeObserver;
import io.mrt.runtime.progress.Progress;
import io.mrt.runtime.registry.OpTable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the float model on the calibration batches and records a threshold for every node output:
 * variables (the input every batch, each parameter once: its values never change) and ops. An
 * op's {@code CalibrateHook}, when it has one, decides what is observed; otherwise every output
 * is observed as is. One {@link CalibrationMethod.Observer} per output sees all batches.
 */
public final class Calibrator {
  private static final Logger LOG = LoggerFactory.getLogger(Calibrator.class);
  private final OpTable ops;

  /** A calibrator running the ops of {@code ops}. */
  public Calibrator(OpTable ops) {
    this.ops = ops;
  }

  /** The key of an output in the threshold table: the node name for output 0, else {@code name[i]}. */
  public static String key(Entry e) {
    return e.index() == 0 ? e.node().name() : e.node().name() + "[" + e.index() + "]";
  }

  /**
   * Thresholds of every node output, in graph order.
   *
   * @param model the prepared float model, with one input
   * @param batches the calibration batches (input values)
   * @param numBatches how many batches to take (NUM_CALIB)
   * @param method the calibration method
   * @throws MrtException when no batch is given or the model cannot run
   */
  public Map<String, Double> run(Model model, Iterator<INDArray> batches, int numBatches, CalibrationMethod method) {
    FloatExecutor exec = new FloatExecutor(model, ops);
    if (exec.inputs().size() != 1) {
      throw new MrtException("calibration needs a model with one input, found " + exec.inputs().size()
          + " (the prepare stage fuses several inputs into 'data')");
    }
    Node input = exec.inputs().get(0);
    Map<Entry, CalibrationMethod.Observer> observers = new HashMap<>();
    for (Node v : model.graph().variables()) {
      INDArray p = model.params().get(v.name());
      if (p != null) {
        ObservedValues values = values(p);
        observers.computeIfAbsent(v.out(), e -> method.observer(values.size())).observe(values);
      }
    }
    int done = 0;
    try (Progress progress = Progress.start("calibrate (" + method.name() + ")", numBatches, "batches")) {
      while (done < numBatches && batches.hasNext()) {
        INDArray x = batches.next();
        observe(observers, input.out(), values(x), numBatches, method);
        int batchIndex = done;
        exec.run(Map.of(input.name(), x), new NodeObserver() {
          @Override
          public void observe(Node node, List<INDArray> in, List<INDArray> out) {
            Optional<CalibrateHook> hook = ops.hook(HookType.CALIBRATE, node);
            if (hook.isPresent()) {
              hook.get().calibrate(context(node, in, out, batchIndex, observers, method));
            } else {
              for (int i = 0; i < node.numOutputs(); i++) {
                Calibrator.observe(observers, node.out(i), values(out.get(i)), numBatches, method);
              }
            }
          }

          /** Only a calibrate hook reads a node's inputs; the default statistics read its outputs. */
          @Override
          public boolean readsInputs(Node node) {
            return ops.hook(HookType.CALIBRATE, node).isPresent();
          }

          /**
           * The default statistics do not depend on the order of the values, so they read NHWC
           * activations in place; a calibrate hook gets row-major arrays.
           */
          @Override
          public boolean readsAnyLayout(Node node) {
            return ops.hook(HookType.CALIBRATE, node).isEmpty();
          }
        });
        done++;
        progress.step();
      }
    }
    if (done == 0) {
      throw new MrtException("calibration got no batch: the dataset is empty");
    }
    if (done < numBatches) {
      LOG.warn("the dataset ran out after {} of {} calibration batches", done, numBatches);
    }
    List<Entry> outputs = new ArrayList<>();
    for (Node n : model.graph().nodes()) {
      for (int i = 0; i < n.numOutputs(); i++) {
        outputs.add(new Entry(n, i));
      }
    }
    // each observer's threshold depends on its own values only (KL's search takes a fixed time
    // per output), so they are computed on every core
    double[] values = new double[outputs.size()];
    IntStream.range(0, outputs.size()).parallel().forEach(k -> {
      CalibrationMethod.Observer o = observers.get(outputs.get(k));
      values[k] = o == null ? 0 : o.threshold();
    });
    Map<String, Double> th = new LinkedHashMap<>();
    for (int k = 0; k < values.length; k++) {
      th.put(key(outputs.get(k)), values[k]);
      LOG.debug("threshold {} = {}", key(outputs.get(k)), values[k]);
    }
    return th;
  }

  /**
   * Observes an output that has the same shape in every batch: its observer, made at the first
   * batch, expects at most {@code numBatches} times as many values. (A calibrate hook may observe
   * any values, so its observers expect nothing.)
   */
  private static void observe(Map<Entry, CalibrationMethod.Observer> observers, Entry out, ObservedValues values,
      int numBatches, CalibrationMethod method) {
    observers.computeIfAbsent(out, e -> method.observer((long) numBatches * values.size())).observe(values);
  }

  private CalibrateContext context(Node node, List<INDArray> in, List<INDArray> out, int batchIndex,
      Map<Entry, CalibrationMethod.Observer> observers, CalibrationMethod method) {
    Attrs attrs = ops.attrsOf(node);
    return new CalibrateContext() {
      @Override
      public Node node() {
        return node;
      }

      @Override
      public Attrs attrs() {
        return attrs;
      }

      @Override
      public List<INDArray> inputs() {
        return in;
      }

      @Override
      public List<INDArray> outputs() {
        return out;
      }

      @Override
      public int batchIndex() {
        return batchIndex;
      }

      @Override
      public void observe(int index, INDArray value) {
        if (index < 0 || index >= node.numOutputs()) {
          throw error("observe(" + index + "): the node has " + node.numOutputs() + " output(s)");
        }
        observers.computeIfAbsent(node.out(index), e -> method.observer()).observe(values(value));
      }
    };
  }

  private static ObservedValues values(INDArray a) {
    return ObservedValues.of(a);
  }
}
