package io.mrt.runtime.exec.fp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mrt.api.graph.Attrs;
import io.mrt.api.graph.Graph;
import io.mrt.api.graph.Model;
import io.mrt.api.graph.Node;
import io.mrt.api.hook.CalibrateHook;
import io.mrt.api.hook.ForwardHook;
import io.mrt.api.hook.FuseTransposeHook;
import io.mrt.api.hook.InferShapeHook;
import io.mrt.api.hook.LowerToCvmHook;
import io.mrt.api.hook.QuantizeHook;
import io.mrt.api.hook.RewriteHook;
import io.mrt.api.registry.Hook;
import io.mrt.api.registry.OpDescriptor;
import io.mrt.api.registry.OpRegistry;
import io.mrt.runtime.registry.OpSource;
import io.mrt.runtime.registry.OpTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The executor frees each intermediate array after its last reader, and keeps everything else. */
class FloatExecutorMemoryTest {
  /** A registry of one op, {@code inc} (x + 1), that remembers every array it returns. */
  static final class Recording implements OpRegistry, ForwardHook {
    final List<INDArray> produced = new ArrayList<>();
    final List<String> mayOverwrite = new ArrayList<>();

    @Override
    public List<INDArray> forward(io.mrt.api.hook.ForwardContext ctx) {
      mayOverwrite.add(ctx.node().name() + "=" + ctx.mayOverwrite(0));
      INDArray y = ctx.input(0).add(1f);
      produced.add(y);
      return List.of(y);
    }

    @Override
    public String name() {
      return "recording";
    }

    @Override
    public List<OpDescriptor> ops() {
      return List.of(new OpDescriptor("inc", List.of("inc"), "", List.of(), List.of(), true, List.of(), 0,
          Set.of(Hook.FORWARD), Recording.class.getName()));
    }

    @Override
    public Map<String, InferShapeHook> inferShapeHooks() {
      return Map.of();
    }

    @Override
    public Map<String, ForwardHook> forwardHooks() {
      return Map.of("inc", this);
    }

    @Override
    public Map<String, FuseTransposeHook> fuseTransposeHooks() {
      return Map.of();
    }

    @Override
    public Map<String, RewriteHook> rewriteHooks() {
      return Map.of();
    }

    @Override
    public Map<String, CalibrateHook> calibrateHooks() {
      return Map.of();
    }

    @Override
    public Map<String, QuantizeHook> quantizeHooks() {
      return Map.of();
    }

    @Override
    public Map<String, LowerToCvmHook> lowerToCvmHooks() {
      return Map.of();
    }
  }

  // data -> a -> b -> c (head), and a is also read by d (head)
  private final Node data = Node.variable("data", Attrs.empty());
  private final Node a = Node.op("inc", "a", Attrs.empty(), data.out());
  private final Node b = Node.op("inc", "b", Attrs.empty(), a.out());
  private final Node c = Node.op("inc", "c", Attrs.empty(), b.out());
  private final Node d = Node.op("inc", "d", Attrs.empty(), a.out());
  private final Model model = new Model(Graph.of(c.out(), d.out()), Map.of());

  @Test
  void runFreesIntermediatesAfterTheirLastReaderButNeverInputsOrOutputs() {
    Recording ops = new Recording();
    OpTable table = OpTable.merge(List.of(OpSource.ofClassPath(ops)), Map.of());
    INDArray x = Nd4j.zeros(DataType.FLOAT, 4);
    List<INDArray> out = new FloatExecutor(model, table).run(x);
    assertEquals(4, ops.produced.size()); // a, b, c, d in graph order
    INDArray va = ops.produced.get(0);
    INDArray vb = ops.produced.get(1);
    assertTrue(va.wasClosed(), "a is freed once b and d have read it");
    assertTrue(vb.wasClosed(), "b is freed once c has read it");
    assertFalse(x.wasClosed(), "the input belongs to the caller");
    assertEquals(3f, out.get(0).getFloat(0));
    assertEquals(2f, out.get(1).getFloat(0));
  }

  @Test
  void aRunWithAnObserverShowsEveryOutputAndStillFreesIntermediatesAfterTheirLastReader() {
    Recording ops = new Recording();
    OpTable table = OpTable.merge(List.of(OpSource.ofClassPath(ops)), Map.of());
    List<String> seen = new ArrayList<>();
    List<INDArray> out = new FloatExecutor(model, table).run(Map.of("data", Nd4j.zeros(DataType.FLOAT, 4)),
        (node, in, o) -> seen.add(node.name() + "=" + o.get(0).getFloat(0)));
    assertEquals(List.of("a=1.0", "b=2.0", "c=3.0", "d=2.0"), seen);
    assertTrue(ops.produced.get(0).wasClosed(), "a is freed once b and d have read it");
    assertTrue(ops.produced.get(1).wasClosed(), "b is freed once c has read it");
    assertEquals(3f, out.get(0).getFloat(0));
    assertEquals(2f, out.get(1).getFloat(0));
  }

  @Test
  void aHookMayOverwriteOnlyAnIntermediateAtItsLastReaderAndNeverWhenAnObserverReadsItsInputs() {
    Recording ops = new Recording();
    OpTable table = OpTable.merge(List.of(OpSource.ofClassPath(ops)), Map.of());
    FloatExecutor ex = new FloatExecutor(model, table);
    ex.run(Nd4j.zeros(DataType.FLOAT, 4));
    // a reads the caller's input; b reads a, which d reads later; c and d are the last readers of b and a
    assertEquals(List.of("a=false", "b=false", "c=true", "d=true"), ops.mayOverwrite);
    ops.mayOverwrite.clear();
    ex.run(Map.of("data", Nd4j.zeros(DataType.FLOAT, 4)), (node, in, o) -> { });
    assertEquals(List.of("a=false", "b=false", "c=false", "d=false"), ops.mayOverwrite);
    ops.mayOverwrite.clear();
    ex.runAll(Map.of("data", Nd4j.zeros(DataType.FLOAT, 4)));
    assertEquals(List.of("a=false", "b=false", "c=false", "d=false"), ops.mayOverwrite);
    // an observer of outputs only (as calibration without a calibrate hook): the same as without one
    ops.mayOverwrite.clear();
    List<String> seen = new ArrayList<>();
    ex.run(Map.of("data", Nd4j.zeros(DataType.FLOAT, 4)), new NodeObserver() {
      @Override
      public void observe(Node node, List<INDArray> in, List<INDArray> o) {
        seen.add(node.name() + "=" + o.get(0).getFloat(0));
      }

      @Override
      public boolean readsInputs(Node node) {
        return false;
      }
    });
    assertEquals(List.of("a=false", "b=false", "c=true", "d=true"), ops.mayOverwrite);
    assertEquals(List.of("a=1.0", "b=2.0", "c=3.0", "d=2.0"), seen);
  }

  @Test
  void runAllKeepsEveryArray() {
    Recording ops = new Recording();
    OpTable table = OpTable.merge(List.of(OpSource.ofClassPath(ops)), Map.of());
    Map<Node, List<INDArray>> all = new FloatExecutor(model, table).runAll(Map.of("data", Nd4j.zeros(DataType.FLOAT, 4)));
    for (INDArray v : ops.produced) {
      assertFalse(v.wasClosed());
    }
    assertEquals(1f, all.get(a).get(0).getFloat(0));
    assertEquals(2f, all.get(b).get(0).getFloat(0));
  }
}
