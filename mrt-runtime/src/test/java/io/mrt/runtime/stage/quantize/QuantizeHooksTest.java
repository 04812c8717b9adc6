package io.mrt.runtime.stage.quantize;

import static io.mrt.runtime.stage.quantize.QuantizeFixtures.OPS;
import static io.mrt.runtime.stage.quantize.QuantizeFixtures.data;
import static io.mrt.runtime.stage.quantize.QuantizeFixtures.f;
import static io.mrt.runtime.stage.quantize.QuantizeFixtures.fc;
import static io.mrt.runtime.stage.quantize.QuantizeFixtures.node;
import static io.mrt.runtime.stage.quantize.QuantizeFixtures.quantize;
import static io.mrt.runtime.stage.quantize.QuantizeFixtures.values;
import static io.mrt.runtime.stage.quantize.QuantizeFixtures.var;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mrt.api.graph.Attrs;
import io.mrt.api.graph.Node;
import io.mrt.api.hook.OpContext;
import io.mrt.api.hook.Quantized;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The quantize hooks of the built-in ops beyond dense and conv, each on a small graph with the
 * numbers worked out by hand. data has threshold 4 throughout: scale 127/4 = 31.75, 8 bits.
 */
class QuantizeHooksTest {
  private static Node relu(String name, Node in) {
    return Node.op("Activation", name, Attrs.of("act_type", "relu"), in.out());
  }

  /**
   * add(fc1, relu): fc1 has scale 31.75 * 127 = 4032.25 and is clipped to bitsOf(2 * 4032.25) = 14
   * bits (th 2); relu keeps 31.75 and 8 bits (th 4). Both go exactly to 32767 / max(2, 4) = 8191.75:
   * fc1 by cvm_float(8191.75 / 4032.25 = 2.0316, 32 - 14 = 18) = 66570 * 2^-15, relu by
   * cvm_float(8191.75 / 31.75 = 258.0079, 24) = 4227201 * 2^-14. Precision max(16, 16) + 1 = 17.
   */
  @Test
  void elemwiseAddRequantizesBothInputsToTheCommonScale() {
    Node d = data(1, 4);
    Node fc1 = fc("fc1", 4, true, d.out(), var("w1").out());
    Node r = relu("relu", d);
    Node add = Node.op("elemwise_add", "add", Attrs.empty(), fc1.out(), r.out());
    QuantizeFixtures.Builder b = new QuantizeFixtures.Builder()
        .param("w1", f(new long[] {4, 4}, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, -1), 1.0)
        .th("data", 4.0).th("fc1", 2.0).th("relu", 4.0).th("add", 6.0);
    QuantizeResult q = quantize(b.model(add.out()), b.th, QuantizeOptions.defaults());
    Node a = node(q, "add");
    Node left = a.input(0).node();
    Node right = a.input(1).node();
    assertEquals("cvm_right_shift", left.op());
    assertEquals("15", left.attrs().getString("shift_bit"));
    assertEquals("16", left.attrs().getString("precision"));
    assertArrayEquals(new double[] {66570}, values(q.model().params().get(left.input(0).node().input(1).node().name())));
    assertEquals("fc1_clip", left.input(0).node().input(0).node().name());
    assertEquals("14", node(q, "fc1_clip").attrs().getString("precision"));
    assertEquals("cvm_right_shift", right.op());
    assertEquals("14", right.attrs().getString("shift_bit"));
    assertArrayEquals(new double[] {4227201}, values(q.model().params().get(right.input(0).node().input(1).node().name())));
    assertEquals(17, q.precisions().get("add"));
    assertEquals(32767 / 4.0, q.scales().get("add"));
  }

  /**
   * broadcast_mul(relu, c) with c = 0.5 (th 0.5): relu (8 bits) already fits 16 bits; c becomes
   * round(0.5 * 32767 / 0.5) = 32767 at 16 bits. Scale 31.75 * 65534, precision 8 + 16 = 24 (MRT
   * counts the input as 16 bits: 32); th 2: tight bitsOf(2 * 2080704.5) = 23, so a cvm_clip(23).
   */
  @Test
  void broadcastMulMultipliesScalesAndAddsPrecisions() {
    Node d = data(1, 4);
    Node r = relu("relu", d);
    Node mul = Node.op("broadcast_mul", "mul", Attrs.empty(), r.out(), var("c").out());
    QuantizeFixtures.Builder b = new QuantizeFixtures.Builder().param("c", f(new long[] {1}, 0.5), 0.5)
        .th("data", 4.0).th("relu", 4.0).th("mul", 2.0);
    QuantizeResult q = quantize(b.model(mul.out()), b.th, QuantizeOptions.defaults());
    assertArrayEquals(new double[] {32767}, values(q.model().params().get("c_q")));
    assertEquals(31.75 * 65534, q.scales().get("mul"));
    assertEquals(24, q.precisions().get("mul")); // CVM rule: 8 + 16
    Node head = q.model().graph().heads().get(0).node();
    assertEquals("mul_clip", head.name());
    assertEquals("23", head.attrs().getString("precision"));
  }

  /** broadcast_add with an all-zero parameter (threshold 0) is its other input: no node is emitted. */
  @Test
  void broadcastAddOfAZeroInputPassesTheOtherThrough() {
    Node d = data(1, 4);
    Node r = relu("relu", d);
    Node add = Node.op("broadcast_add", "add", Attrs.empty(), r.out(), var("zero").out());
    QuantizeFixtures.Builder b = new QuantizeFixtures.Builder().param("zero", f(new long[] {1}, 0), 0)
        .th("data", 4.0).th("relu", 4.0).th("add", 4.0);
    QuantizeResult q = quantize(b.model(add.out()), b.th, QuantizeOptions.defaults());
    assertEquals("relu", q.model().graph().heads().get(0).node().name());
    assertEquals(List.of(31.75), q.outputScales());
  }

  /** sum over a (1, 2, 2) input: 4 terms add bitCount(4) = 3 bits: 8 + 3 = 11; th 10: tight bitsOf(317.5) = 10. */
  @Test
  void sumAddsTheBitsOfTheTermCount() {
    Node d = data(1, 2, 2);
    Node s = Node.op("sum", "sum", Attrs.of("axis", "(1, 2)", "keepdims", "True"), d.out());
    QuantizeFixtures.Builder b = new QuantizeFixtures.Builder().th("data", 4.0).th("sum", 10.0);
    QuantizeResult q = quantize(b.model(s.out()), b.th, QuantizeOptions.defaults());
    assertEquals(11, q.precisions().get("sum"));
    assertEquals(31.75, q.scales().get("sum"));
    assertEquals("10", q.model().graph().heads().get(0).node().attrs().getString("precision"));
  }

  /**
   * Concat(data, fc1): common scale 32767 / max(4, 2) = 8191.75 at 16 bits; precision max(16, 16)
   * = 16, without MRT's +1 of the adds.
   */
  @Test
  void concatTakesTheMaximumPrecision() {
    Node d = data(1, 4);
    Node fc1 = fc("fc1", 4, true, d.out(), var("w1").out());
    Node cat = Node.op("Concat", "cat", Attrs.of("dim", "1", "num_args", "2"), d.out(), fc1.out());
    QuantizeFixtures.Builder b = new QuantizeFixtures.Builder()
        .param("w1", f(new long[] {4, 4}, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, -1), 1.0)
        .th("data", 4.0).th("fc1", 2.0).th("cat", 4.0);
    QuantizeResult q = quantize(b.model(cat.out()), b.th, QuantizeOptions.defaults());
    assertEquals(16, q.precisions().get("cat"));
    assertEquals(8191.75, q.scales().get("cat"));
  }

  /** clip(0, 1.5) at scale 31.75: a_max = int(47.625) = 47; precision bitsOf(47) = 7 (CVM: numberPrecision(47) = 7). */
  @Test
  void clipScalesItsBounds() {
    Node d = data(1, 4);
    Node c = Node.op("clip", "clip", Attrs.of("a_min", "0", "a_max", "1.5"), d.out());
    QuantizeFixtures.Builder b = new QuantizeFixtures.Builder().th("data", 4.0).th("clip", 1.5);
    QuantizeResult q = quantize(b.model(c.out()), b.th, QuantizeOptions.defaults());
    Node n = node(q, "clip");
    assertEquals("0", n.attrs().getString("a_min"));
    assertEquals("47", n.attrs().getString("a_max"));
    assertEquals(7, q.precisions().get("clip"));
  }

  /**
   * sigmoid: the input is requantized exactly to 127/4 (here its own scale: cvm_float(1, 24) =
   * (1, 0), so only a cvm_clip(8)), offset by 127 and looked up in 255 rows of
   * round(sigmoid((k - 127) / 31.75) * 32767 / sigmoid(4)): row 0 = round(0.017986 * 33367.15) = 600,
   * row 127 = round(0.5 * 33367.15) = 16684, row 254 = 32767. Output scale 33367.15, 16 bits.
   */
  @Test
  void sigmoidBecomesALookupTable() {
    Node d = data(1, 4);
    Node s = Node.op("sigmoid", "sig", Attrs.empty(), d.out());
    QuantizeFixtures.Builder b = new QuantizeFixtures.Builder().th("data", 4.0).th("sig", 1.0);
    QuantizeResult q = quantize(b.model(s.out()), b.th, QuantizeOptions.defaults());
    Node lut = node(q, "sig");
    assertEquals("cvm_lut", lut.op());
    assertEquals("255", lut.attrs().getString("in_dim"));
    Node offset = lut.input(0).node();
    assertEquals("broadcast_add", offset.op());
    assertArrayEquals(new double[] {127}, values(q.model().params().get(offset.input(1).node().name())));
    assertEquals("cvm_clip", offset.input(0).node().op());
    double[] table = values(q.model().params().get(lut.input(1).node().name()));
    assertEquals(255, table.length);
    assertEquals(600, table[0]);
    assertEquals(16684, table[127]);
    assertEquals(32767, table[254]);
    assertEquals(32767 / (1 / (1 + Math.exp(-4))), q.scales().get("sig"), 1e-9);
    assertEquals(16, q.precisions().get("sig"));
  }

  /**
   * softmax over 4 values, th 5: s_x = 25.4, alpha = int(10 * 25.4) = 254, a 255-row table of
   * round(e^(k / 25.4)) (row 0 = 1, row 254 = round(e^10) = 22026) of bitsOf(e^10) = 16 bits;
   * output precision min(15, 30 - 16) = 14, scale 8191. Every node fits 32 bits, and the integer
   * result run through the float executor is within 1/8191 + the table's error of the softmax.
   */
  @Test
  void softmaxUsesATableAndFitsThirtyTwoBits() {
    Node d = data(1, 4);
    Node s = Node.op("softmax", "prob", Attrs.of("axis", "-1"), d.out());
    QuantizeFixtures.Builder b = new QuantizeFixtures.Builder().th("data", 5.0).th("prob", 1.0);
    QuantizeResult q = quantize(b.model(s.out()), b.th, QuantizeOptions.defaults());
    Node lut = node(q, "prob_lut");
    double[] table = values(q.model().params().get(lut.input(1).node().name()));
    assertEquals(255, table.length);
    assertEquals(1, table[0]);
    assertEquals(22026, table[254]);
    assertEquals(List.of(8191.0), q.outputScales());
    assertEquals(14, q.precisions().get(q.model().graph().heads().get(0).node().name()));
    assertTrue(q.precisions().values().stream().allMatch(p -> p <= 32), q.precisions().toString());

    INDArray x = Nd4j.create(new float[] {1.0f, -2.0f, 0.5f, 3.0f}, new long[] {1, 4});
    double[] y = values(IntegerSimulation.of(q, OPS).run(x).get(0));
    double[] e = {Math.exp(1 - 3), Math.exp(-2 - 3), Math.exp(0.5 - 3), 1};
    double sum = e[0] + e[1] + e[2] + e[3];
    for (int i = 0; i < 4; i++) {
      assertEquals(e[i] / sum, y[i], 0.01, "class " + i);
    }
  }

  /** A rescale by exactly 4 = cvm_float (1, 2) is a multiplication by 4 and a clip, never a left shift. */
  @Test
  void aPowerOfTwoRescaleIsAMultiplyNeverALeftShift() {
    IntGraph g = new IntGraph(OPS, Map.of(), Map.of("data", io.mrt.api.graph.Shape.of(1, 4)));
    Node d = Node.variable("data", Attrs.of("precision", "8"));
    g.describe(d.out(), Info.integer(10.0, 8, 12.7));
    Requantizer rq = new Requantizer(g, 5);
    OpContext at = new OpContext() {
      @Override
      public Node node() {
        return d;
      }

      @Override
      public Attrs attrs() {
        return Attrs.empty();
      }
    };
    Quantized out = rq.requantOperator(at, d.out(), 16, 40.0);
    Node clip = out.output().node();
    assertEquals("cvm_clip", clip.op());
    assertEquals("16", clip.attrs().getString("precision"));
    Node mul = clip.input(0).node();
    assertEquals("broadcast_mul", mul.op());
    assertArrayEquals(new double[] {4}, values(g.paramValue(mul.input(1)).orElseThrow()));
    assertEquals(40.0, out.scale());
    // and realize with a negative shift likewise
    Node r = rq.realize(at, d.out(), -3, 12).node();
    assertEquals("cvm_clip", r.op());
    assertArrayEquals(new double[] {8}, values(g.paramValue(r.input(0).node().input(1)).orElseThrow()));
  }

  /** Integer parameters are float64 arrays of exact integers. */
  @Test
  void integerParametersAreFloat64() {
    Node d = data(1, 4);
    Node fc1 = fc("fc1", 4, true, d.out(), var("w1").out());
    QuantizeFixtures.Builder b = new QuantizeFixtures.Builder()
        .param("w1", f(new long[] {4, 4}, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, -1), 1.0)
        .th("data", 4.0).th("fc1", 2.0);
    QuantizeResult q = quantize(b.model(fc1.out()), b.th, QuantizeOptions.defaults());
    assertEquals(DataType.DOUBLE, q.model().params().get("w1_q").dataType());
  }

  /**
   * Embedding: the indices (th 9, scale 127/9, 8 bits) go exactly to scale 1 at 32 bits:
   * cvm_float(9/127 = 0.0708661, 32 - 8 = 24) = 4755746 * 2^-26, so index 4 (fed as 56) comes back
   * as round(56 * 0.0708661 = 3.9685) = 4 and 9 (fed as 127) as 9. The weight (th 1) is requantized
   * to 16 bits, scale 32767, precision bitsOf(1 * 32767) = 16; the output is its rows.
   */
  @Test
  void embeddingTurnsIndicesBackToIntegersAndLooksUpSixteenBitRows() {
    Node d = data(1, 3);
    Node e = Node.op("Embedding", "emb", Attrs.of("input_dim", "10", "output_dim", "2"), d.out(), var("table").out());
    double[] w = new double[20];
    for (int i = 0; i < 10; i++) {
      w[2 * i] = i / 10.0;
      w[2 * i + 1] = -i / 10.0;
    }
    w[19] = -1.0;
    QuantizeFixtures.Builder b = new QuantizeFixtures.Builder().param("table", f(new long[] {10, 2}, w), 1.0)
        .th("data", 9.0).th("emb", 1.0);
    QuantizeResult q = quantize(b.model(e.out()), b.th, QuantizeOptions.defaults());
    Node emb = node(q, "emb");
    Node shift = emb.input(0).node();
    assertEquals("cvm_right_shift", shift.op());
    assertEquals("26", shift.attrs().getString("shift_bit"));
    assertEquals("32", shift.attrs().getString("precision"));
    assertArrayEquals(new double[] {4755746}, values(q.model().params().get(shift.input(0).node().input(1).node().name())));
    assertEquals(List.of(32767.0), q.outputScales());
    assertEquals(16, q.precisions().get("emb"));

    INDArray x = Nd4j.create(new float[] {0, 4, 9}, new long[] {1, 3});
    double[] y = values(IntegerSimulation.of(q, OPS).runIntegers(x).get(0));
    // rows 0, 4 and 9 of round(W * 32767): 0.4 * 32767 = 13106.8 -> 13107; 0.9 -> 29490.3 -> 29490; -1 -> -32767
    assertArrayEquals(new double[] {0, 0, 13107, -13107, 29490, -32767}, y);
  }
}
