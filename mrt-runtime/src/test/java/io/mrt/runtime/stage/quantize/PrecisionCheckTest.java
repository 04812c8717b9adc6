package io.mrt.runtime.stage.quantize;

import static io.mrt.runtime.stage.quantize.QuantizeFixtures.OPS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mrt.api.graph.Attrs;
import io.mrt.api.graph.Entry;
import io.mrt.api.graph.Graph;
import io.mrt.api.graph.Model;
import io.mrt.api.graph.Node;
import io.mrt.api.graph.Shape;
import io.mrt.runtime.MrtException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** The CVM precision rules applied to integer graphs, and the refusals. */
class PrecisionCheckTest {
  private static Node intVar(String name, int precision) {
    return Node.variable(name, Attrs.of("precision", String.valueOf(precision)));
  }

  private static Map<String, org.nd4j.linalg.api.ndarray.INDArray> params(Object... nameShapeValue) {
    Map<String, org.nd4j.linalg.api.ndarray.INDArray> p = new LinkedHashMap<>();
    for (int i = 0; i < nameShapeValue.length; i += 3) {
      p.put((String) nameShapeValue[i], Nd4j.valueArrayOf((long[]) nameShapeValue[i + 1], (double) nameShapeValue[i + 2], DataType.DOUBLE));
    }
    return p;
  }

  private static Map<Entry, Integer> check(Model m) {
    return new PrecisionCheck(OPS).run(m, Map.of("data", Shape.of(1, 4)), Map.of());
  }

  /** dense with K = 4 inputs: 8 + 8 + bitCount(4) = 19; with a 12-bit bias max(19, 12) + 1 = 20; cvm_clip(16) gives 16. */
  @Test
  void rulesGiveEveryNodeItsPrecision() {
    Node data = intVar("data", 8);
    Node w = intVar("w", 8);
    Node b = intVar("b", 12);
    Node fc = Node.op("FullyConnected", "fc", Attrs.of("num_hidden", "3"), data.out(), w.out(), b.out());
    Node clip = Node.op("cvm_clip", "clip", Attrs.of("precision", "16"), fc.out());
    Map<Entry, Integer> p = check(new Model(Graph.of(clip.out()), params("w", new long[] {3, 4}, 100.0, "b", new long[] {3}, 2000.0)));
    assertEquals(20, p.get(fc.out()));
    assertEquals(16, p.get(clip.out()));
  }

  @Test
  void aDenseInputWiderThanEightBitsIsRefusedNamingThePrecisions() {
    Node data = intVar("data", 9);
    Node w = intVar("w", 8);
    Node fc = Node.op("FullyConnected", "fc", Attrs.of("num_hidden", "3", "no_bias", "True"), data.out(), w.out());
    MrtException e = assertThrows(MrtException.class,
        () -> check(new Model(Graph.of(fc.out()), params("w", new long[] {3, 4}, 1.0))));
    assertTrue(e.getMessage().startsWith("node fc (FullyConnected): input 0 has precision 9 but this op accepts at most 8 bits "
        + "(input precisions [9, 8])"), e.getMessage());
    assertTrue(e.getMessage().endsWith("; inputs: data 9 bits, w 8 bits"), e.getMessage());
  }

  /** 8 + 8 + bitCount(4) = 19 and a 32-bit bias: max(19, 32) + 1 = 33 > 32. */
  @Test
  void aNodeAboveThirtyTwoBitsIsRefused() {
    Node data = intVar("data", 8);
    Node w = intVar("w", 8);
    Node b = intVar("b", 32);
    Node fc = Node.op("FullyConnected", "fc", Attrs.of("num_hidden", "3"), data.out(), w.out(), b.out());
    MrtException e = assertThrows(MrtException.class, () -> check(new Model(Graph.of(fc.out()),
        params("w", new long[] {3, 4}, 1.0, "b", new long[] {3}, 1.0))));
    assertEquals("node fc (FullyConnected) would need 33 bits, outside the CVM's [1, 32]; inputs: data 8 bits, w 8 bits, b 32 bits",
        e.getMessage());
  }

  @Test
  void aParameterOutsideItsPrecisionIsRefused() {
    Node data = intVar("data", 8);
    Node w = intVar("w", 8);
    Node fc = Node.op("FullyConnected", "fc", Attrs.of("num_hidden", "3", "no_bias", "True"), data.out(), w.out());
    MrtException e = assertThrows(MrtException.class,
        () -> check(new Model(Graph.of(fc.out()), params("w", new long[] {3, 4}, 200.0))));
    assertEquals("parameter w: value 200.0 at flat index 0 is not an integer within precision 8 (|v| <= 127)", e.getMessage());
  }

  @Test
  void aVariableWithoutPrecisionIsRefused() {
    Node data = Node.variable("data", Attrs.empty());
    Node relu = Node.op("Activation", "relu", Attrs.of("act_type", "relu"), data.out());
    MrtException e = assertThrows(MrtException.class, () -> check(new Model(Graph.of(relu.out()), Map.of())));
    assertEquals("variable data has no 'precision' attribute: every variable of an integer graph declares its precision",
        e.getMessage());
  }
}
