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
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mrt.api.graph.Node;
import io.mrt.runtime.MrtException;
import io.mrt.runtime.exec.cvm.CvmExecutor;
import io.mrt.runtime.stage.compile.CvmCompiler;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Per-channel weights (QUANTIZE.GRANULARITY channel), every number worked out by hand. */
class PerChannelQuantizeTest {
  /** data(1,4) -> FullyConnected(2, no bias) with the weights and thresholds of the examples below. */
  private static QuantizeResult quantizeFc(QuantizeOptions options) {
    Node data = data(1, 4);
    Node w = var("fc_weight");
    Node fc = fc("fc", 2, true, data.out(), w.out());
    QuantizeFixtures.Builder m = new QuantizeFixtures.Builder()
        .param("fc_weight", f(new long[] {2, 4}, 1, -0.5, 0.25, 0, 0.1, -0.05, 0.02, 0.1), 1.0)
        .th("data", 1.0).th("fc", 2.0);
    return quantize(m.model(fc.out()), m.th, options);
  }

  /**
   * data(1,4) -> FullyConnected(2, no bias); th_data = 1 (s_x = 127), th_fc = 2.
   * Channel thresholds max|W[0]| = 1, max|W[1]| = 0.1; per-tensor scale s_min = 127.
   * Common output scale S = 127 * 127 = 16129; base = bitsOf(2 * 16129 = 32258) = 16.
   * Ratio bits c = min(8, (30 - 7 - 16) / 2) = 3: channel scales {127, min(1270, 127 * 8 = 1016)}.
   * W_q = {127, -64, 32, 0 | 102, -51, 20, 102} (0.1 * 1016 = 101.6, -50.8, 20.32, 101.6).
   * Accumulator precision bitCount(4) + 8 + 8 = 19 = min(19, base + c): no clip needed.
   * Shift k = 30 - 19 = 11; multipliers M = {2^11 = 2048, 2048 * 127/1016 = 256}, 13 bits;
   * broadcast_mul precision 19 + 13 = 32; cvm_right_shift by 11 to 16 bits, scale 16129.
   */
  @Test
  void denseWeightsGetAScalePerOutputChannelAndAreBroughtBackToOneScaleByAnIntegerMultiplyAndShift() {
    QuantizeResult r = quantizeFc(QuantizeOptions.defaults().withGranularity(QuantizeOptions.CHANNEL, List.of()));

    assertArrayEquals(new double[] {127, -64, 32, 0, 102, -51, 20, 102}, values(r.model().params().get("fc_weight_qc")));
    assertEquals("8", node(r, "fc_weight_qc").attrs().getString("precision"));
    assertArrayEquals(new double[] {2048, 256}, values(r.model().params().get("fc_channel_scale")));
    assertEquals(List.of(1L, 2L), List.of(r.model().params().get("fc_channel_scale").shape()[0],
        r.model().params().get("fc_channel_scale").shape()[1]));
    assertEquals("13", node(r, "fc_channel_scale").attrs().getString("precision"));

    Node out = r.model().graph().heads().get(0).node();
    assertEquals("cvm_right_shift", out.op());
    assertEquals("11", out.attrs().getString("shift_bit"));
    assertEquals("16", out.attrs().getString("precision"));
    Node mul = out.input(0).node();
    assertEquals("broadcast_mul", mul.op());
    assertEquals(List.of("fc", "fc_channel_scale"), mul.inputs().stream().map(e -> e.node().name()).toList());
    assertEquals(19, r.precisions().get("fc"));
    assertEquals(32, r.precisions().get(mul.name()));
    assertEquals(List.of(16129.0), r.outputScales());
    assertEquals(java.util.Map.of("fc", out.name()), r.represents());
  }

  /**
   * The same graph compiled and run on the CVM executor. x = {1, 0.5, -1, 0.25} -> x_q =
   * {127, 64, -127, 32}. acc_0 = 127*127 - 64*64 - 127*32 = 7969; acc_1 = 127*102 - 64*51 - 127*20
   * + 32*102 = 10414. Outputs: 7969 * 2048 >> 11 = 7969; 10414 * 256 >> 11 = 1301.75, rounded 1302
   * (floats 0.5 and 0.08; dequantized 0.49408 and 0.08072).
   */
  @Test
  void theCompiledPerChannelGraphComputesTheHandWorkedIntegersOnTheCvm() {
    QuantizeResult r = quantizeFc(QuantizeOptions.defaults().withGranularity(QuantizeOptions.CHANNEL, List.of()));
    CvmExecutor cvm = CvmExecutor.load(CvmCompiler.compile(r.model(), QuantizeFixtures.OPS, new long[] {1, 4}), "t");
    assertArrayEquals(new int[] {7969, 1302}, cvm.run(new int[] {127, 64, -127, 32}).outputs().get(0).values());
  }

  @Test
  void channelNamesSelectLayersAndAnUnknownNameIsRefusedNamingTheKey() {
    QuantizeResult byName = quantizeFc(
        QuantizeOptions.defaults().withGranularity(QuantizeOptions.TENSOR, List.of("_OP_FullyConnected")));
    assertArrayEquals(new double[] {2048, 256}, values(byName.model().params().get("fc_channel_scale")));
    MrtException e = assertThrows(MrtException.class, () -> quantizeFc(
        QuantizeOptions.defaults().withGranularity(QuantizeOptions.TENSOR, List.of("fc2"))));
    assertEquals("QUANTIZE.CHANNEL_NAMES: no node named 'fc2' in the graph", e.getMessage());
    MrtException g = assertThrows(MrtException.class,
        () -> QuantizeOptions.defaults().withGranularity("layer", List.of()));
    assertEquals("QUANTIZE.GRANULARITY: expected tensor or channel, found layer", g.getMessage());
  }
}
