package io.mrt.runtime.stage.calibrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mrt.api.graph.Attrs;
import io.mrt.api.graph.Graph;
import io.mrt.api.graph.Model;
import io.mrt.api.graph.Node;
import io.mrt.api.graph.Shape;
import io.mrt.api.hook.CalibrateHook;
import io.mrt.api.hook.ForwardHook;
import io.mrt.api.hook.InferShapeHook;
import io.mrt.api.registry.Hook;
import io.mrt.api.registry.OpDescriptor;
import io.mrt.api.registry.OpRegistry;
import io.mrt.runtime.MrtException;
import io.mrt.runtime.registry.OpSource;
import io.mrt.runtime.registry.OpTable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The calibrator runs every batch, observes every node output, and lets a CalibrateHook decide. */
class CalibratorTest {
  private static INDArray batch(float... v) {
    return Nd4j.create(v, new long[] {1, v.length});
  }

  private static Iterator<INDArray> batches(INDArray... b) {
    return List.of(b).iterator();
  }

  /**
   * data -> relu -> fc(w): over the batches {-3, 1} and {2, -0.5}: data 3, relu max(1, 2) = 2
   * (MRT V3 would keep the last batch's 2 and 2: here the first batch's -3 counts for data),
   * w (observed once) 0.75, fc = max |relu * w| = max(0.75 * 1, 0.75 * 2) = 1.5.
   */
  @Test
  void everyNodeOutputGetsTheAbsMaxOfAllBatches() {
    Node data = Node.variable("data", Attrs.empty());
    Node relu = Node.op("Activation", "relu", Attrs.of("act_type", "relu"), data.out());
    Node w = Node.variable("w", Attrs.empty());
    Node fc = Node.op("FullyConnected", "fc", Attrs.of("num_hidden", "1", "no_bias", "True"), relu.out(), w.out());
    Model m = new Model(Graph.of(fc.out()), Map.of("w", Nd4j.create(new float[] {0.75f, -0.25f}, new long[] {1, 2})));
    Map<String, Double> th = new Calibrator(OpTable.load()).run(m, batches(batch(-3, 1), batch(2, -0.5f)), 2,
        new AbsMax());
    assertEquals(List.of("data", "relu", "w", "fc"), new ArrayList<>(th.keySet()));
    assertEquals(3.0, th.get("data"));
    assertEquals(2.0, th.get("relu"));
    assertEquals(0.75, th.get("w"));
    assertEquals(1.5, th.get("fc"));
  }

  @Test
  void anEmptyDatasetIsRefused() {
    Node data = Node.variable("data", Attrs.empty());
    Node relu = Node.op("Activation", "relu", Attrs.of("act_type", "relu"), data.out());
    Model m = new Model(Graph.of(relu.out()), Map.of());
    MrtException e = assertThrows(MrtException.class,
        () -> new Calibrator(OpTable.load()).run(m, batches(), 1, new AbsMax()));
    assertEquals("calibration got no batch: the dataset is empty", e.getMessage());
  }

  /** An op whose calibrate hook observes its input: y = 2x, but its threshold is max |x| = 3, not 6. */
  @Test
  void aCalibrateHookDecidesWhatIsObserved() {
    OpTable ops = OpTable.merge(List.of(OpSource.ofClassPath(new DoubleItRegistry())), Map.of());
    Node data = Node.variable("data", Attrs.empty());
    Node d = Node.op("double_it", "d", Attrs.empty(), data.out());
    Model m = new Model(Graph.of(d.out()), Map.of());
    Map<String, Double> th = new Calibrator(ops).run(m, batches(batch(-3, 1)), 1, new AbsMax());
    assertEquals(3.0, th.get("d"));
    assertEquals(3.0, th.get("data"));
  }

  /** A registry with one op, {@code double_it}, whose calibrate hook observes the input. */
  static final class DoubleItRegistry implements OpRegistry {
    private static final OpDescriptor OP = new OpDescriptor("double_it", List.of("double_it"), "", List.of(), List.of(),
        true, List.of(), 0, Set.of(Hook.INFER_SHAPE, Hook.FORWARD, Hook.CALIBRATE), DoubleItRegistry.class.getName());

    @Override
    public String name() {
      return "double-it";
    }

    @Override
    public List<OpDescriptor> ops() {
      return List.of(OP);
    }

    @Override
    public Map<String, InferShapeHook> inferShapeHooks() {
      InferShapeHook same = ctx -> List.<Shape>of(ctx.inputShape(0));
      return Map.of("double_it", same);
    }

    @Override
    public Map<String, ForwardHook> forwardHooks() {
      ForwardHook twice = ctx -> List.of(ctx.input(0).mul(2));
      return Map.of("double_it", twice);
    }

    @Override
    public Map<String, io.mrt.api.hook.FuseTransposeHook> fuseTransposeHooks() {
      return Map.of();
    }

    @Override
    public Map<String, io.mrt.api.hook.RewriteHook> rewriteHooks() {
      return Map.of();
    }

    @Override
    public Map<String, CalibrateHook> calibrateHooks() {
      CalibrateHook input = ctx -> ctx.observe(0, ctx.inputs().get(0));
      return Map.of("double_it", input);
    }

    @Override
    public Map<String, io.mrt.api.hook.QuantizeHook> quantizeHooks() {
      return Map.of();
    }

    @Override
    public Map<String, io.mrt.api.hook.LowerToCvmHook> lowerToCvmHooks() {
      return Map.of();
    }
  }
}
