package io.mrt.runtime.stage.quantize;

import static io.mrt.runtime.stage.quantize.QuantizeFixtures.data;
import static io.mrt.runtime.stage.quantize.QuantizeFixtures.f;
import static io.mrt.runtime.stage.quantize.QuantizeFixtures.fc;
import static io.mrt.runtime.stage.quantize.QuantizeFixtures.node;
import static io.mrt.runtime.stage.quantize.QuantizeFixtures.quantize;
import static io.mrt.runtime.stage.quantize.QuantizeFixtures.values;
import static io.mrt.runtime.stage.quantize.QuantizeFixtures.var;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mrt.api.graph.Attrs;
import io.mrt.api.graph.Model;
import io.mrt.api.graph.Node;
import io.mrt.runtime.MrtException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The quantize pass with MRT's rules on small graphs, every number worked out by hand. */
class QuantizePassTest {

  /**
   * data(1,4) -> FullyConnected(3, bias). th_data = 2, th_W = 1, th_b = 0.2, th_fc = 3.
   * s_x = 127/2 = 63.5; data is already 8 bits (bitsOf(2 * 63.5) = bitsOf(127) = 8): no requant.
   * s_w = 127/1 = 127: W_q = round(W * 127) = {0.5 -> 63.5 -> 64, -1 -> -127, 0.25 -> 31.75 -> 32, ...}.
   * bias scale s_x * s_w = 8064.5, bias precision bitsOf(0.2 * 8064.5 = 1612.9) = 12:
   * b_q = {806.45 -> 806, -1612.9 -> -1613, 403.225 -> 403}.
   * Precision bitCount(4) + 8 + 8 = 19, with bias max(19, 12) + 1 = 20; tight precision
   * bitsOf(3 * 8064.5 = 24193.5) = 16 < 20, so a cvm_clip(16) follows. Output scale 8064.5.
   */
  @Test
  void fullyConnectedRequantizesWeightAndBiasAndClipsToTheTightPrecision() {
    Node data = data(1, 4);
    Node w = var("fc_weight");
    Node b = var("fc_bias");
    Node fc = fc("fc", 3, false, data.out(), w.out(), b.out());
    QuantizeFixtures.Builder m = new QuantizeFixtures.Builder()
        .param("fc_weight", f(new long[] {3, 4}, 0.5, -1, 0.25, 0, 0.1, 0.2, -0.3, 0.4, 1, 0.004, -0.004, 0.9), 1.0)
        .param("fc_bias", f(new long[] {3}, 0.1, -0.2, 0.05), 0.2)
        .th("data", 2.0).th("fc", 3.0);
    QuantizeResult r = quantize(m.model(fc.out()), m.th, QuantizeOptions.defaults());

    // W * 127: 63.5, -127, 31.75, 0, 12.7, 25.4, -38.1, 50.8, 127, 0.508, -0.508, 114.3
    assertArrayEquals(new double[] {64, -127, 32, 0, 13, 25, -38, 51, 127, 1, -1, 114},
        values(r.model().params().get("fc_weight_q")));
    assertArrayEquals(new double[] {806, -1613, 403}, values(r.model().params().get("fc_bias_q")));
    assertEquals("8", node(r, "fc_weight_q").attrs().getString("precision"));
    assertEquals("12", node(r, "fc_bias_q").attrs().getString("precision"));
    assertEquals("8", node(r, "data").attrs().getString("precision"));

    Node out = r.model().graph().heads().get(0).node();
    assertEquals("cvm_clip", out.op());
    assertEquals("fc_clip", out.name());
    assertEquals("16", out.attrs().getString("precision"));
    Node q = out.input(0).node();
    assertEquals("fc", q.name());
    assertEquals(List.of("data", "fc_weight_q", "fc_bias_q"), q.inputs().stream().map(e -> e.node().name()).toList());
    assertEquals(20, r.precisions().get("fc"));
    assertEquals(16, r.precisions().get("fc_clip"));
    assertEquals(List.of(63.5 * 127), r.outputScales());
    assertEquals(63.5, r.inputScale());
    assertEquals(8, r.inputPrecision());
    assertEquals(List.of("fc"), r.oldNames());
  }

  /**
   * fc1 (no bias) -> fc2 (no bias). s_x = 127 (th_data = 1), s_w1 = 127 (th 1): s_fc1 = 16129,
   * precision bitCount(2) + 8 + 8 = 18; th_fc1 = 1.5, tight bitsOf(1.5 * 16129 = 24193.5) = 16:
   * cvm_clip(16). fc2 requantizes its input to 8 bits: sb = bitsOf(24193.5) - 8 = 8 > SHIFT_BITS 5,
   * so cvm_right_shift(shift 8, precision 16 - 8 = 8), scale 16129 / 2^8 = 63.00390625; no
   * multiply (the input is now 8 bits). s_w2 = 127 / 0.5 = 254, W2_q = {127, -127};
   * s_fc2 = 63.00390625 * 254.
   */
  @Test
  void aWideInputIsShiftedRightByTheExcessBits() {
    Node data = data(1, 2);
    Node fc1 = fc("fc1", 2, true, data.out(), var("w1").out());
    Node fc2 = fc("fc2", 1, true, fc1.out(), var("w2").out());
    QuantizeFixtures.Builder m = new QuantizeFixtures.Builder()
        .param("w1", f(new long[] {2, 2}, 1, 0.5, -0.25, 0.75), 1.0)
        .param("w2", f(new long[] {1, 2}, 0.5, -0.5), 0.5)
        .th("data", 1.0).th("fc1", 1.5).th("fc2", 2.0);
    QuantizeResult r = quantize(m.model(fc2.out()), m.th, QuantizeOptions.defaults());

    assertArrayEquals(new double[] {127, 64, -32, 95}, values(r.model().params().get("w1_q"))); // 63.5->64, -31.75->-32, 95.25->95
    assertArrayEquals(new double[] {127, -127}, values(r.model().params().get("w2_q")));
    Node fc2q = node(r, "fc2");
    Node shift = fc2q.input(0).node();
    assertEquals("cvm_right_shift", shift.op());
    assertEquals("8", shift.attrs().getString("shift_bit"));
    assertEquals("8", shift.attrs().getString("precision"));
    Node clip = shift.input(0).node();
    assertEquals("fc1_clip", clip.name());
    assertEquals("16", clip.attrs().getString("precision"));
    assertEquals(16129.0 / 256 * 254, r.scales().get("fc2"));
    // fc2: bitCount(2) + 8 + 8 = 18; tight bitsOf(2 * 16003.0) = 16: clipped
    assertEquals("cvm_clip", r.model().graph().heads().get(0).node().op());
  }

  /**
   * As above but th_fc1 = 0.01: tight precision bitsOf(0.01 * 16129 = 161.29) = 9, so fc1 is
   * clipped to 9 bits; fc2's requant: sb = 9 - 8 = 1 <= 5, no shift, but 9 > 8 bits, so
   * rescale = (127 / 0.01) / 16129 = 0.78740157...; cvm_float(rescale, 32 - 9 = 23) = (3302602, -22)
   * (round(0.78740157 * 2^22 = 3302601.57)); broadcast_mul by the constant 3302602 (precision
   * bitsOf(3302602) = 23), then cvm_right_shift(22, 8). Scale 16129 * 3302602 / 2^22.
   */
  @Test
  void aNarrowerRescaleMultipliesByCvmFloatAndShifts() {
    Node data = data(1, 2);
    Node fc1 = fc("fc1", 2, true, data.out(), var("w1").out());
    Node fc2 = fc("fc2", 1, true, fc1.out(), var("w2").out());
    QuantizeFixtures.Builder m = new QuantizeFixtures.Builder()
        .param("w1", f(new long[] {2, 2}, 1, 0.5, -0.25, 0.75), 1.0)
        .param("w2", f(new long[] {1, 2}, 0.5, -0.5), 0.5)
        .th("data", 1.0).th("fc1", 0.01).th("fc2", 2.0);
    QuantizeResult r = quantize(m.model(fc2.out()), m.th, QuantizeOptions.defaults());

    Node shift = node(r, "fc2").input(0).node();
    assertEquals("cvm_right_shift", shift.op());
    assertEquals("22", shift.attrs().getString("shift_bit"));
    assertEquals("8", shift.attrs().getString("precision"));
    Node mul = shift.input(0).node();
    assertEquals("broadcast_mul", mul.op());
    assertEquals("fc1_clip", mul.input(0).node().name());
    String constName = mul.input(1).node().name();
    assertArrayEquals(new double[] {3302602}, values(r.model().params().get(constName)));
    assertEquals("23", node(r, constName).attrs().getString("precision"));
    assertEquals(32, r.precisions().get(mul.name())); // 9 + 23
    double s = 16129.0 * 3302602 / 4194304 * 254;
    assertEquals(s, r.scales().get("fc2"), 1e-9);
  }

  /** Convolution is _quantize_xwb with K = C/g * kh * kw = 2 * 2 * 2 = 8: bitCount(8) = 4, 4 + 8 + 8 = 20. */
  @Test
  void convolutionCountsTheKernelWindowInItsPrecision() {
    Node data = data(1, 2, 3, 3);
    Node conv = Node.op("Convolution", "conv", Attrs.of("kernel", "(2, 2)", "num_filter", "1", "no_bias", "True"),
        data.out(), var("conv_weight").out());
    QuantizeFixtures.Builder m = new QuantizeFixtures.Builder()
        .param("conv_weight", f(new long[] {1, 2, 2, 2}, 0.1, -0.2, 0.3, -0.4, 0.5, -0.6, 0.7, -0.8), 0.8)
        .th("data", 1.0).th("conv", 100.0);
    QuantizeResult r = quantize(m.model(conv.out()), m.th, QuantizeOptions.defaults());
    // s_w = 127 / 0.8 = 158.75: 15.875 -> 16, -31.75 -> -32, 47.625 -> 48, -63.5 -> -64, 79.375 -> 79,
    // -95.25 -> -95, 111.125 -> 111, -127
    assertArrayEquals(new double[] {16, -32, 48, -64, 79, -95, 111, -127}, values(r.model().params().get("conv_weight_q")));
    assertEquals(20, r.precisions().get("conv"));
    // tight: bitsOf(100 * 127 * 158.75 = 2016125) = 22 > 20: no clip
    assertEquals("conv", r.model().graph().heads().get(0).node().name());
    assertEquals(127 * 158.75, r.outputScales().get(0));
  }

  /** Relu, max Pooling and Flatten keep the scale and precision of their input (MRT's default). */
  @Test
  void shapeOpsKeepTheInputScale() {
    Node data = data(1, 1, 4, 4);
    Node relu = Node.op("Activation", "relu", Attrs.of("act_type", "relu"), data.out());
    Node pool = Node.op("Pooling", "pool", Attrs.of("kernel", "(2, 2)", "stride", "(2, 2)", "pool_type", "max"), relu.out());
    Node flat = Node.op("Flatten", "flat", Attrs.empty(), pool.out());
    QuantizeFixtures.Builder m = new QuantizeFixtures.Builder().th("data", 4.0).th("relu", 4.0).th("pool", 4.0).th("flat", 4.0);
    QuantizeResult r = quantize(m.model(flat.out()), m.th, QuantizeOptions.defaults());
    for (String n : List.of("data", "relu", "pool", "flat")) {
      assertEquals(127 / 4.0, r.scales().get(n), n);
      assertEquals(8, r.precisions().get(n), n);
    }
    assertEquals(4, r.model().graph().nodes().size());
  }

  /**
   * A threshold below the input's range shrinks the tight precision: relu of th 1 at scale 127/4 =
   * 31.75 needs bitsOf(31.75) = ceil(log2 32.75) + 1 = 7 bits, fewer than its input's 8.
   */
  @Test
  void aSmallerThresholdDownstreamAddsATightClip() {
    Node data = data(1, 4);
    Node relu = Node.op("Activation", "relu", Attrs.of("act_type", "relu"), data.out());
    QuantizeFixtures.Builder m = new QuantizeFixtures.Builder().th("data", 4.0).th("relu", 1.0);
    QuantizeResult r = quantize(m.model(relu.out()), m.th, QuantizeOptions.defaults());
    Node head = r.model().graph().heads().get(0).node();
    assertEquals("relu_clip", head.name());
    assertEquals("7", head.attrs().getString("precision"));
  }

  /**
   * OUTPUT_PRECISION 8: the output is requantized exactly to scale R(8)/th = 127/3. From fc above
   * (clipped to 16 bits, scale 8064.5): sb = bitsOf(3 * 8064.5) - 8 = 8 > 5, shift by 8 to 8 bits,
   * scale 8064.5/256 = 31.501953125; exact rescale (127/3) / 31.501953125 = 1.3438320...,
   * cvm_float(., 32 - 8 = 24): normalized to [1, 2) it doubles 22 times (bits 23 -> 1) without
   * becoming an integer, so frac = round(1.3438320 * 2^22 = 5636440.02) = 5636440, exp = -22;
   * multiply by 5636440, then shift right by 22 and clip to 8 bits.
   */
  @Test
  void outputPrecisionRequantizesTheOutputsExactly() {
    Node data = data(1, 4);
    Node w = var("fc_weight");
    Node b = var("fc_bias");
    Node fc = fc("fc", 3, false, data.out(), w.out(), b.out());
    QuantizeFixtures.Builder m = new QuantizeFixtures.Builder()
        .param("fc_weight", f(new long[] {3, 4}, 0.5, -1, 0.25, 0, 0.1, 0.2, -0.3, 0.4, 1, 0.004, -0.004, 0.9), 1.0)
        .param("fc_bias", f(new long[] {3}, 0.1, -0.2, 0.05), 0.2)
        .th("data", 2.0).th("fc", 3.0);
    QuantizeResult r = quantize(m.model(fc.out()), m.th, QuantizeOptions.defaults().withOutputPrecision(8));
    Node head = r.model().graph().heads().get(0).node();
    assertEquals("cvm_right_shift", head.op());
    assertEquals("22", head.attrs().getString("shift_bit"));
    assertEquals("8", head.attrs().getString("precision"));
    Node mul = head.input(0).node();
    assertEquals("broadcast_mul", mul.op());
    assertArrayEquals(new double[] {5636440}, values(r.model().params().get(mul.input(1).node().name())));
    Node shift = mul.input(0).node();
    assertEquals("cvm_right_shift", shift.op());
    assertEquals("8", shift.attrs().getString("shift_bit"));
    assertEquals(8064.5 / 256 * 5636440 / 4194304, r.outputScales().get(0), 1e-12);
    assertEquals(127 / 3.0, r.outputScales().get(0), 127 / 3.0 * 1e-6);
  }

  @Test
  void thresholdOverridesReplaceCalibratedValues() {
    Node data = data(1, 4);
    Node relu = Node.op("Activation", "relu", Attrs.of("act_type", "relu"), data.out());
    QuantizeFixtures.Builder m = new QuantizeFixtures.Builder().th("data", 4.0).th("relu", 4.0);
    QuantizeResult r = quantize(m.model(relu.out()), m.th, QuantizeOptions.defaults().withThresholds(Map.of("data", 2.0)));
    assertEquals(63.5, r.inputScale());
    MrtException e = assertThrows(MrtException.class, () -> quantize(m.model(relu.out()), m.th,
        QuantizeOptions.defaults().withThresholds(Map.of("nope", 2.0))));
    assertEquals("QUANTIZE.THRESHOLDS: no node named 'nope' in the graph", e.getMessage());
  }

  @Test
  void aNodeWithoutThresholdIsRefused() {
    Node data = data(1, 4);
    Node relu = Node.op("Activation", "relu", Attrs.of("act_type", "relu"), data.out());
    QuantizeFixtures.Builder m = new QuantizeFixtures.Builder().th("data", 4.0);
    MrtException e = assertThrows(MrtException.class, () -> quantize(m.model(relu.out()), m.th, QuantizeOptions.defaults()));
    assertEquals("node relu has no threshold: calibrate the model first (or give one in QUANTIZE.THRESHOLDS)", e.getMessage());
  }

  @Test
  void theQuantizedGraphIsIntegerAndEveryNodeCarriesItsPrecision() {
    Node data = data(1, 2);
    Node fc1 = fc("fc1", 2, true, data.out(), var("w1").out());
    Node fc2 = fc("fc2", 1, true, fc1.out(), var("w2").out());
    QuantizeFixtures.Builder m = new QuantizeFixtures.Builder()
        .param("w1", f(new long[] {2, 2}, 1, 0.5, -0.25, 0.75), 1.0)
        .param("w2", f(new long[] {1, 2}, 0.5, -0.5), 0.5)
        .th("data", 1.0).th("fc1", 0.01).th("fc2", 2.0);
    QuantizeResult r = quantize(m.model(fc2.out()), m.th, QuantizeOptions.defaults());
    assertTrue(r.isInteger());
    for (Node n : r.model().graph().nodes()) {
      assertTrue(n.attrs().has("precision"), n.name());
      assertEquals(r.precisions().get(n.name()), Integer.parseInt(n.attrs().getString("precision")), n.name());
    }
    assertFalse(r.model().params().containsKey("w1"), "the float weights are gone");
  }
}
