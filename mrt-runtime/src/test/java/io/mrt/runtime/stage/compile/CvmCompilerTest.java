package io.mrt.runtime.stage.compile;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mrt.api.graph.Attrs;
import io.mrt.api.graph.Entry;
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
import io.mrt.api.registry.AttrSpec;
import io.mrt.api.registry.AttrType;
import io.mrt.api.registry.Hook;
import io.mrt.api.registry.OpDescriptor;
import io.mrt.api.registry.OpRegistry;
import io.mrt.runtime.MrtException;
import io.mrt.runtime.exec.cvm.CvmExecutor;
import io.mrt.runtime.io.cvm.CvmModel;
import io.mrt.runtime.io.cvm.CvmSymbolWriter;
import io.mrt.runtime.registry.OpSource;
import io.mrt.runtime.registry.OpTable;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

class CvmCompilerTest {
  /** A dense layer whose lowering emits dense then a rounding right shift by 1 into 8 bits. */
  private static final LowerToCvmHook DENSE_SHIFT = ctx -> {
    Entry d = ctx.emit("dense", Attrs.of("units", "2", "use_bias", "False"), ctx.input(0), ctx.input(1));
    return List.of(ctx.emit("cvm_right_shift", Attrs.of("precision", "8", "shift_bit", "1"), d));
  };
  private static final LowerToCvmHook LEFT_SHIFT =
      ctx -> List.of(ctx.emit("cvm_left_shift", Attrs.of("precision", "8", "shift_bit", "1"), ctx.input(0)));

  private static OpTable table(Map<String, LowerToCvmHook> hooks) {
    List<OpDescriptor> ops = hooks.keySet().stream().sorted().map(k -> new OpDescriptor(k, List.of(k), "", List.of(),
        List.<AttrSpec>of(), true, List.of("dense", "cvm_right_shift", "cvm_left_shift"), 8, Set.of(Hook.LOWER_TO_CVM), "test." + k)).toList();
    OpRegistry r = new OpRegistry() {
      @Override public String name() {
        return "test-lowering";
      }

      @Override public List<OpDescriptor> ops() {
        return ops;
      }

      @Override public Map<String, InferShapeHook> inferShapeHooks() {
        return Map.of();
      }

      @Override public Map<String, ForwardHook> forwardHooks() {
        return Map.of();
      }

      @Override public Map<String, FuseTransposeHook> fuseTransposeHooks() {
        return Map.of();
      }

      @Override public Map<String, RewriteHook> rewriteHooks() {
        return Map.of();
      }

      @Override public Map<String, CalibrateHook> calibrateHooks() {
        return Map.of();
      }

      @Override public Map<String, QuantizeHook> quantizeHooks() {
        return Map.of();
      }

      @Override public Map<String, LowerToCvmHook> lowerToCvmHooks() {
        return hooks;
      }
    };
    return OpTable.merge(List.of(OpSource.ofClassPath(r)), Map.of());
  }

  private static Model denseModel(int weightPrecision) {
    Node data = Node.variable("data", Attrs.of("precision", "8"));
    Node w = Node.variable("fc_weight", Attrs.of("precision", Integer.toString(weightPrecision)));
    Node fc = Node.op("DenseShift", "fc", Attrs.empty(), data.out(), w.out());
    return new Model(Graph.of(fc.out()), Map.of("fc_weight",
        Nd4j.create(new double[] {1, -2, 3, 4, 5, -6}, new long[] {2, 3}, DataType.DOUBLE)));
  }

  @Test
  void lowersThroughTheHooksIntoTheCvmGraphFormat() {
    CvmModel m = CvmCompiler.compile(denseModel(8), table(Map.of("DenseShift", DENSE_SHIFT)), new long[] {1, 3});
    assertEquals("{\"nodes\":[{\"op\":\"null\",\"name\":\"data\",\"inputs\":[]},"
        + "{\"op\":\"null\",\"name\":\"fc_weight\",\"inputs\":[]},"
        + "{\"op\":\"cvm_op\",\"name\":\"dense_0\",\"attrs\":{\"flatten_data\":\"0\",\"func_name\":\"dense\","
        + "\"num_inputs\":\"2\",\"num_outputs\":\"1\"},\"inputs\":[[0,0,0],[1,0,0]]},"
        + "{\"op\":\"cvm_op\",\"name\":\"cvm_right_shift_0\",\"attrs\":{\"flatten_data\":\"0\","
        + "\"func_name\":\"cvm_right_shift\",\"num_inputs\":\"1\",\"num_outputs\":\"1\"},\"inputs\":[[2,0,0]]}],"
        + "\"arg_nodes\":[0,1],\"node_row_ptr\":[0,1,2,3,4],\"heads\":[[3,0,0]],"
        + "\"attrs\":{\"dltype\":[\"list_str\",[\"int32\",\"int32\",\"int32\",\"int32\"]],"
        + "\"op_attrs\":[\"list_str\",[\"{}\",\"{}\",\"{\\\"units\\\":\\\"2\\\",\\\"use_bias\\\":\\\"False\\\"}\","
        + "\"{\\\"precision\\\":\\\"8\\\",\\\"shift_bit\\\":\\\"1\\\"}\"]],"
        + "\"precision\":[\"list_int\",[8,8,-1,-1]],"
        + "\"shape\":[\"list_shape\",[[1,3],[2,3],[1,2],[1,2]]],"
        + "\"storage_id\":[\"list_int\",[0,1,2,2]]},\"version\":\"cvm_1.0.0\"}",
        CvmSymbolWriter.toJson(m.graph()).replaceAll("\\s", ""));
  }

  @Test
  void compiledModelRunsWithExactIntegerSemantics() {
    CvmModel m = CvmCompiler.compile(denseModel(8), table(Map.of("DenseShift", DENSE_SHIFT)), new long[] {1, 3});
    // x = (1, 2, 3): dense = (1-4+9, 4+10-18) = (6, -4); right shift by 1 rounds half up: (3, -2)
    int[] out = CvmExecutor.load(m, "test").run(new int[] {1, 2, 3}).outputs().get(0).values();
    assertArrayEquals(new int[] {3, -2}, out);
  }

  @Test
  void parametersOfAtMostEightBitsAreStoredAsInt8AndWiderAsInt32() {
    CvmModel narrow = CvmCompiler.compile(denseModel(8), table(Map.of("DenseShift", DENSE_SHIFT)), new long[] {1, 3});
    assertEquals(8, narrow.params().asMap().get("fc_weight").dtypeBits());
    MrtException e = assertThrows(MrtException.class,
        () -> CvmCompiler.compile(denseModel(9), table(Map.of("DenseShift", DENSE_SHIFT)), new long[] {1, 3}));
    assertEquals("node dense_0 (dense, lowered from fc): dense weight must be INT8, found INT9", e.getMessage());
  }

  @Test
  void cvmLeftShiftIsNeverEmitted() {
    Node data = Node.variable("data", Attrs.of("precision", "8"));
    Node s = Node.op("Shl", "shl", Attrs.empty(), data.out());
    MrtException e = assertThrows(MrtException.class, () -> CvmCompiler.compile(new Model(Graph.of(s.out()), Map.of()),
        table(Map.of("Shl", LEFT_SHIFT)), new long[] {4}));
    assertEquals("node shl (Shl): lowerToCvm emitted cvm_left_shift, which the reference CPU runtime cannot run; "
        + "requantize with a multiply and a right shift instead [lowerToCvm hook of test-lowering (test-classes)]",
        e.getMessage());
  }

  @Test
  void anOperatorTheOpDoesNotDeclareIsRefused() {
    LowerToCvmHook undeclared = ctx -> List.of(ctx.emit("relu", Attrs.empty(), ctx.input(0)));
    Node data = Node.variable("data", Attrs.of("precision", "8"));
    Node r = Node.op("Rel", "rel", Attrs.empty(), data.out());
    MrtException e = assertThrows(MrtException.class, () -> CvmCompiler.compile(new Model(Graph.of(r.out()), Map.of()),
        table(Map.of("Rel", undeclared)), new long[] {4}));
    assertEquals("node rel (Rel): lowerToCvm emitted 'relu', which the op does not declare in @MrtOp(emits = "
        + "[dense, cvm_right_shift, cvm_left_shift]) [lowerToCvm hook of test-lowering (test-classes)]", e.getMessage());
  }

  @Test
  void aParameterBeyondItsPrecisionIsRefusedNamingIt() {
    Node data = Node.variable("data", Attrs.of("precision", "8"));
    Node w = Node.variable("fc_weight", Attrs.of("precision", "3"));
    Node fc = Node.op("DenseShift", "fc", Attrs.empty(), data.out(), w.out());
    Model m = new Model(Graph.of(fc.out()), Map.of("fc_weight",
        Nd4j.create(new double[] {1, -2, 3, 4, 5, -6}, new long[] {2, 3}, DataType.DOUBLE)));
    MrtException e = assertThrows(MrtException.class,
        () -> CvmCompiler.compile(m, table(Map.of("DenseShift", DENSE_SHIFT)), new long[] {1, 3}));
    assertEquals("parameter fc_weight: value 4 at index 3 exceeds its precision 3 (|v| <= 3)", e.getMessage());
  }
}
