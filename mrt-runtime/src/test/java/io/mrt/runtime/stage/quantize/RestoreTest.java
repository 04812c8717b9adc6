package io.mrt.runtime.stage.quantize;

import static io.mrt.runtime.stage.quantize.QuantizeFixtures.OPS;
import static io.mrt.runtime.stage.quantize.QuantizeFixtures.data;
import static io.mrt.runtime.stage.quantize.QuantizeFixtures.f;
import static io.mrt.runtime.stage.quantize.QuantizeFixtures.fc;
import static io.mrt.runtime.stage.quantize.QuantizeFixtures.node;
import static io.mrt.runtime.stage.quantize.QuantizeFixtures.quantize;
import static io.mrt.runtime.stage.quantize.QuantizeFixtures.var;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mrt.api.graph.Attrs;
import io.mrt.api.graph.Model;
import io.mrt.api.graph.Node;
import io.mrt.runtime.MrtException;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** RESTORE_NAMES: names, _OP_ and _ALL_EXCEPT_, and what a restored node becomes. */
class RestoreTest {
  private final Node data = data(1, 2);
  private final Node fc1 = fc("fc1", 2, true, data.out(), var("w1").out());
  private final Node relu = Node.op("Activation", "relu", Attrs.of("act_type", "relu"), fc1.out());
  private final Node fc2 = fc("fc2", 1, true, relu.out(), var("w2").out());
  private final QuantizeFixtures.Builder b = new QuantizeFixtures.Builder()
      .param("w1", f(new long[] {2, 2}, 1, 0.5, -0.25, 0.75), 1.0)
      .param("w2", f(new long[] {1, 2}, 0.5, -0.5), 0.5)
      .th("data", 1.0).th("fc1", 1.5).th("relu", 1.5).th("fc2", 2.0);
  private final Model model = b.model(fc2.out());

  @Test
  void namesOpPrefixAndAllExceptExpandAsMrtDoes() {
    assertEquals(Set.of("fc2"), RestoreNames.expand(List.of("fc2"), model.graph(), OPS));
    assertEquals(Set.of("fc1", "fc2"), RestoreNames.expand(List.of("_OP_FullyConnected"), model.graph(), OPS));
    // every quantizable op node except fc1 (variables are never restored)
    assertEquals(Set.of("relu", "fc2"), RestoreNames.expand(List.of("_ALL_EXCEPT_", "fc1"), model.graph(), OPS));
    assertEquals(Set.of("relu"), RestoreNames.expand(List.of("_ALL_EXCEPT_", "_OP_FullyConnected"), model.graph(), OPS));
  }

  @Test
  void unknownOrUnrestorableNamesAreRefused() {
    assertEquals("QUANTIZE.RESTORE_NAMES: no node named 'fc3' in the graph", assertThrows(MrtException.class,
        () -> RestoreNames.expand(List.of("fc3"), model.graph(), OPS)).getMessage());
    assertEquals("QUANTIZE.RESTORE_NAMES: _OP_Convolution matches no node (no node of op 'Convolution' in the graph)",
        assertThrows(MrtException.class, () -> RestoreNames.expand(List.of("_OP_Convolution"), model.graph(), OPS)).getMessage());
    assertEquals("QUANTIZE.RESTORE_NAMES: node w1 (null) cannot stay in float (a variable)", assertThrows(MrtException.class,
        () -> RestoreNames.expand(List.of("w1"), model.graph(), OPS)).getMessage());
  }

  /**
   * fc2 restored: its integer input (relu over fc1 clipped to 16 bits, scale 127 * 127 = 16129) is divided
   * by its scale with _div_scalar, its weight stays the float parameter w2, its output is float
   * (scale 1, precision bitsOf(2) = 3) and the model output scale is 1.
   */
  @Test
  void aRestoredNodeTakesDequantizedInputsAndStaysFloat() {
    QuantizeResult r = quantize(model, b.th, QuantizeOptions.defaults().withRestoreNames(List.of("fc2")));
    Node out = node(r, "fc2");
    assertEquals(r.model().graph().heads().get(0).node(), out);
    Node div = out.input(0).node();
    assertEquals("_div_scalar", div.op());
    assertEquals(16129.0, div.attrs().getDouble("scalar"));
    assertEquals("relu", div.input(0).node().name());
    assertEquals("fc1_clip", div.input(0).node().input(0).node().name());
    assertEquals("w2", out.input(1).node().name());
    assertEquals(List.of(1.0), r.outputScales());
    assertEquals(3, r.precisions().get("fc2"));
    assertEquals(Set.of("fc2"), r.restored());
    assertFalse(r.isInteger());
    assertEquals(List.of(0.5, -0.5), List.of(r.model().params().get("w2").getDouble(0), r.model().params().get("w2").getDouble(1)));
  }
}
