package io.mrt.runtime.pass;

import static io.mrt.runtime.pass.TestGraphs.CTX;
import static io.mrt.runtime.pass.TestGraphs.a;
import static io.mrt.runtime.pass.TestGraphs.input;
import static io.mrt.runtime.pass.TestGraphs.lines;
import static io.mrt.runtime.pass.TestGraphs.maxDiff;
import static io.mrt.runtime.pass.TestGraphs.model;
import static io.mrt.runtime.pass.TestGraphs.op;
import static io.mrt.runtime.pass.TestGraphs.params;
import static io.mrt.runtime.pass.TestGraphs.run;
import static io.mrt.runtime.pass.TestGraphs.text;
import static io.mrt.runtime.pass.TestGraphs.values;
import static io.mrt.runtime.pass.TestGraphs.var;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mrt.api.graph.Model;
import io.mrt.api.graph.Node;
import io.mrt.runtime.MrtException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/** Operator rewriting through the ops' rewrite hooks; every case keeps the float outputs. */
class RewritePassTest {
  private static Model rewrite(Model m, long... inputShape) {
    Model out = new RewritePass().apply(m, CTX);
    INDArray x = values(5, inputShape);
    INDArray before = run(m, x).get(0);
    INDArray after = run(out, x).get(0);
    double scale = Math.max(1, before.amaxNumber().doubleValue());
    assertTrue(maxDiff(before, after) <= 1e-5 * scale, "outputs differ by " + maxDiff(before, after));
    return out;
  }

  private static Map<String, INDArray> bnParams(String p, long c) {
    return params(p + "_gamma", values(21, c), p + "_beta", values(22, c), p + "_mean", values(23, c),
        p + "_var", Transforms.abs(values(24, c)).addi(0.1));
  }

  private static Node bn(String name, Node x, String fixGamma) {
    return op("BatchNorm", name, a("eps", "1e-05", "fix_gamma", fixGamma), x, var(name + "_gamma"),
        var(name + "_beta"), var(name + "_mean"), var(name + "_var"));
  }

  @Test
  void batchNormIsFoldedIntoTheConvolutionItSolelyReads() {
    Map<String, INDArray> p = bnParams("bn", 3);
    p.put("w", values(1, 3, 2, 3, 3));
    Node conv = op("Convolution", "conv", a("kernel", "(3, 3)", "num_filter", "3", "pad", "(1, 1)", "no_bias", "True"),
        input("data", 1, 2, 5, 5), var("w"));
    Model out = rewrite(model(p, bn("bn", conv, "False")), 1, 2, 5, 5);
    assertEquals(lines(
        "data = input {__shape__=(1, 2, 5, 5)}",
        "bn_weight = param (3, 2, 3, 3)",
        "bn_bias = param (3,)",
        "bn = Convolution(data, bn_weight, bn_bias) {kernel=(3, 3), no_bias=False, num_filter=3, pad=(1, 1)}",
        "heads bn"), text(out));
  }

  @Test
  void batchNormFoldingScalesAnExistingConvolutionBias() {
    Map<String, INDArray> p = bnParams("bn", 2);
    p.put("w", values(1, 2, 1, 1, 1));
    p.put("b", values(2, 2));
    Node conv = op("Convolution", "conv", a("kernel", "(1, 1)", "num_filter", "2"), input("data", 1, 1, 3, 3),
        var("w"), var("b"));
    Model out = rewrite(model(p, bn("bn", conv, "True")), 1, 1, 3, 3);
    assertEquals(lines(
        "data = input {__shape__=(1, 1, 3, 3)}",
        "bn_weight = param (2, 1, 1, 1)",
        "bn_bias = param (2,)",
        "bn = Convolution(data, bn_weight, bn_bias) {kernel=(1, 1), no_bias=False, num_filter=2}",
        "heads bn"), text(out));
  }

  @Test
  void batchNormOfAConvolutionWithOtherReadersBecomesBroadcastMulAndAdd() {
    Map<String, INDArray> p = bnParams("bn", 2);
    p.put("w", values(1, 2, 1, 1, 1));
    Node conv = op("Convolution", "conv", a("kernel", "(1, 1)", "num_filter", "2", "no_bias", "True"),
        input("data", 1, 1, 3, 3), var("w"));
    Model out = rewrite(model(p, op("elemwise_add", "add", a(), bn("bn", conv, "False"), conv)), 1, 1, 3, 3);
    assertEquals(lines(
        "data = input {__shape__=(1, 1, 3, 3)}",
        "w = param (2, 1, 1, 1)",
        "conv = Convolution(data, w) {kernel=(1, 1), no_bias=True, num_filter=2}",
        "bn_scale = param (1, 2, 1, 1)",
        "bn_mul = broadcast_mul(conv, bn_scale)",
        "bn_bias = param (1, 2, 1, 1)",
        "bn = broadcast_add(bn_mul, bn_bias)",
        "add = elemwise_add(bn, conv)",
        "heads add"), text(out));
  }

  @Test
  void batchNormNotAfterAConvolutionBecomesBroadcastMulAndAdd() {
    Model out = rewrite(model(bnParams("bn", 4), bn("bn", op("relu", "r", a(), input("data", 2, 4)), "True")), 2, 4);
    assertEquals(lines(
        "data = input {__shape__=(2, 4)}",
        "r = relu(data)",
        "bn_scale = param (1, 4)",
        "bn_mul = broadcast_mul(r, bn_scale)",
        "bn_bias = param (1, 4)",
        "bn = broadcast_add(bn_mul, bn_bias)",
        "heads bn"), text(out));
  }

  @Test
  void leakyReluBecomesReluMinusSlopeTimesReluOfNegative() {
    Model out = rewrite(model(Map.of(), op("LeakyReLU", "lr", a("slope", "0.1"), input("data", 2, 5))), 2, 5);
    assertEquals(lines(
        "data = input {__shape__=(2, 5)}",
        "lr_pos = relu(data)",
        "lr_neg = negative(data)",
        "lr_neg_relu = relu(lr_neg)",
        "lr_slope = param (1,)",
        "lr_neg_scaled = broadcast_mul(lr_neg_relu, lr_slope)",
        "lr = elemwise_sub(lr_pos, lr_neg_scaled)",
        "heads lr"), text(out));
    assertEquals(0.1f, out.params().get("lr_slope").getFloat(0));
  }

  @Test
  void scalarOpsBecomeBroadcastOpsWithConstants() {
    Node x = input("data", 2, 3);
    Node p0 = op("_plus_scalar", "p0", a("scalar", "0"), x);
    Node p = op("_plus_scalar", "p", a("scalar", "2"), p0);
    Node m = op("_minus_scalar", "m", a("scalar", "1.5"), p);
    Node r = op("_rminus_scalar", "r", a("scalar", "1"), m);
    Node mu = op("_mul_scalar", "mu", a("scalar", "3"), r);
    Node d = op("_div_scalar", "d", a("scalar", "4"), mu);
    Model out = rewrite(model(Map.of(), d), 2, 3);
    assertEquals(lines(
        "r_scalar = param (1,)",
        "data = input {__shape__=(2, 3)}",
        "p_scalar = param (1,)",
        "p = broadcast_add(data, p_scalar)",
        "m_scalar = param (1,)",
        "m = broadcast_sub(p, m_scalar)",
        "r = broadcast_sub(r_scalar, m)",
        "mu_scalar = param (1,)",
        "mu = broadcast_mul(r, mu_scalar)",
        "d_scalar = param (1,)",
        "d = broadcast_mul(mu, d_scalar)",
        "heads d"), text(out));
    assertEquals(0.25f, out.params().get("d_scalar").getFloat(0));
  }

  @Test
  void windowedAveragePoolingBecomesADepthwiseConvolution() {
    Node pool = op("Pooling", "pool", a("kernel", "(2, 2)", "stride", "(2, 2)", "pool_type", "avg"),
        input("data", 1, 3, 4, 6));
    Model out = rewrite(model(Map.of(), pool), 1, 3, 4, 6);
    assertEquals(lines(
        "data = input {__shape__=(1, 3, 4, 6)}",
        "pool_weight = param (3, 1, 2, 2)",
        "pool = Convolution(data, pool_weight) {dilate=(1, 1), kernel=(2, 2), layout=NCHW, no_bias=True,"
            + " num_filter=3, num_group=3, pad=(0, 0), stride=(2, 2)}",
        "heads pool"), text(out));
    assertEquals(0.25f, out.params().get("pool_weight").getFloat(0, 0, 1, 1));
  }

  @Test
  void paddedAveragePoolingCountingThePaddingBecomesAConvolution() {
    Node pool = op("Pooling", "pool", a("kernel", "(3, 3)", "pad", "(1, 1)", "pool_type", "avg"),
        input("data", 1, 2, 5, 5));
    Model out = rewrite(model(Map.of(), pool), 1, 2, 5, 5);
    assertEquals("Convolution", out.graph().node("pool").orElseThrow().op());
  }

  @Test
  void globalAveragePoolingBecomesSumTimesTheInverseArea() {
    Node pool = op("Pooling", "pool", a("global_pool", "True", "kernel", "(1, 1)", "pool_type", "avg"),
        input("data", 1, 3, 4, 5));
    Model out = rewrite(model(Map.of(), pool), 1, 3, 4, 5);
    assertEquals(lines(
        "data = input {__shape__=(1, 3, 4, 5)}",
        "pool_sum = sum(data) {axis=(2, 3), keepdims=True}",
        "pool_scale = param (1,)",
        "pool = broadcast_mul(pool_sum, pool_scale)",
        "heads pool"), text(out));
    assertEquals(0.05f, out.params().get("pool_scale").getFloat(0));
  }

  @Test
  void maxPoolingStays() {
    Node pool = op("Pooling", "pool", a("kernel", "(2, 2)", "pool_type", "max"), input("data", 1, 1, 4, 4));
    Model m = model(Map.of(), pool);
    assertEquals(text(m), text(rewrite(m, 1, 1, 4, 4)));
  }

  @Test
  void averagePoolingThatCountsOnlyRealPixelsIsRefused() {
    Node pool = op("Pooling", "pool", a("kernel", "(3, 3)", "pad", "(1, 1)", "pool_type", "avg",
        "count_include_pad", "False"), input("data", 1, 2, 5, 5));
    MrtException e = assertThrows(MrtException.class, () -> new RewritePass().apply(model(Map.of(), pool), CTX));
    assertTrue(e.getMessage().startsWith("node pool (Pooling): avg pooling with count_include_pad=False and padding"
        + " (1, 1) has no convolution equivalent (MRT supports count_include_pad=True only)"), e.getMessage());
  }

  @Test
  void fullyConnectedOnARank3InputWithoutFlattenIsReshapedTo2dAndBack() {
    Node fc = op("FullyConnected", "fc", a("num_hidden", "5", "flatten", "False"), input("data", 2, 3, 4),
        var("w"), var("b"));
    Model out = rewrite(model(params("w", values(1, 5, 4), "b", values(2, 5)), fc), 2, 3, 4);
    assertEquals(lines(
        "data = input {__shape__=(2, 3, 4)}",
        "fc_reshape = Reshape(data) {shape=(-1, 4)}",
        "w = param (5, 4)",
        "b = param (5,)",
        "fc_dense = FullyConnected(fc_reshape, w, b) {flatten=False, num_hidden=5}",
        "fc = Reshape(fc_dense) {shape=(-1, 3, 5)}",
        "heads fc"), text(out));
  }

  @Test
  void fullyConnectedOnARank4InputGetsAnExplicitFlatten() {
    Node fc = op("FullyConnected", "fc", a("num_hidden", "3"), input("data", 1, 2, 2, 2), var("w"), var("b"));
    Model out = rewrite(model(params("w", values(1, 3, 8), "b", values(2, 3)), fc), 1, 2, 2, 2);
    assertEquals(lines(
        "data = input {__shape__=(1, 2, 2, 2)}",
        "fc_flatten = Flatten(data)",
        "w = param (3, 8)",
        "b = param (3,)",
        "fc = FullyConnected(fc_flatten, w, b) {num_hidden=3}",
        "heads fc"), text(out));
  }

  @Test
  void fullyConnectedWithMoreThan65536InputsIsSplitIntoChunksSummedWithElemwiseAdd() {
    long k = 2 * 65536 + 100;
    Node fc = op("FullyConnected", "fc", a("num_hidden", "2"), input("data", 1, k), var("w"), var("b"));
    INDArray w = values(3, 2, k).muli(0.01);
    Model out = rewrite(model(params("w", w, "b", values(4, 2)), fc), 1, k);
    assertEquals(lines(
        "data = input {__shape__=(1, " + k + ")}",
        "fc_x2 = slice_axis(data) {axis=1, begin=131072, end=131172}",
        "fc_weight2 = param (2, 100)",
        "fc_part2 = FullyConnected(fc_x2, fc_weight2) {no_bias=True, num_hidden=2}",
        "fc_x0 = slice_axis(data) {axis=1, begin=0, end=65536}",
        "fc_weight0 = param (2, 65536)",
        "fc_part0 = FullyConnected(fc_x0, fc_weight0) {no_bias=True, num_hidden=2}",
        "fc_x1 = slice_axis(data) {axis=1, begin=65536, end=131072}",
        "fc_weight1 = param (2, 65536)",
        "fc_part1 = FullyConnected(fc_x1, fc_weight1) {no_bias=True, num_hidden=2}",
        "fc_sum0 = elemwise_add(fc_part0, fc_part1)",
        "fc_sum1 = elemwise_add(fc_part2, fc_sum0)",
        "b = param (2,)",
        "fc = broadcast_add(fc_sum1, b)",
        "heads fc"), text(out));
    assertArrayEquals(w.getRow(1).get(org.nd4j.linalg.indexing.NDArrayIndex.interval(131072, k)).toFloatVector(),
        out.params().get("fc_weight2").getRow(1).toFloatVector());
  }

  @Test
  void elemwiseMulBecomesBroadcastMul() {
    Node x = input("data", 2, 3);
    Model out = rewrite(model(Map.of(), op("elemwise_mul", "m", a(), x, op("negative", "n", a(), x))), 2, 3);
    assertEquals(lines("data = input {__shape__=(2, 3)}", "n = negative(data)", "m = broadcast_mul(data, n)",
        "heads m"), text(out));
  }

  @Test
  void sliceAxisBecomesSliceWithNoneOnTheOtherAxes() {
    Model out = rewrite(model(Map.of(), op("slice_axis", "s", a("axis", "-1", "begin", "1", "end", "None"),
        input("data", 2, 3, 4))), 2, 3, 4);
    assertEquals(lines("data = input {__shape__=(2, 3, 4)}", "s = slice(data) {begin=(None, None, 1), end=(None, None, 4)}",
        "heads s"), text(out));
  }

  @Test
  void swapAxisBecomesTranspose() {
    Model out = rewrite(model(Map.of(), op("SwapAxis", "sw", a("dim1", "1", "dim2", "2"), input("data", 2, 3, 4))),
        2, 3, 4);
    assertEquals(lines("data = input {__shape__=(2, 3, 4)}", "sw = transpose(data) {axes=(0, 2, 1)}", "heads sw"),
        text(out));
  }

  @Test
  void transposeGetsItsDefaultAxesWrittenOut() {
    Model out = rewrite(model(Map.of(), op("transpose", "t", a(), input("data", 2, 3, 4))), 2, 3, 4);
    assertEquals(lines("data = input {__shape__=(2, 3, 4)}", "t = transpose(data) {axes=(2, 1, 0)}", "heads t"),
        text(out));
  }

  @Test
  void zerosLikeAndOnesLikeBecomeBroadcastOpsWithConstants() {
    Node x = input("data", 2, 2);
    Node z = op("zeros_like", "z", a(), x);
    Node o = op("ones_like", "o", a(), x);
    Model out = rewrite(model(Map.of(), op("elemwise_add", "s", a(), z, o)), 2, 2);
    assertEquals(lines(
        "data = input {__shape__=(2, 2)}",
        "z_zero_scalar = param (1,)",
        "z = broadcast_mul(data, z_zero_scalar)",
        "o_zero_scalar = param (1,)",
        "o_zero = broadcast_mul(data, o_zero_scalar)",
        "o_one = param (1,)",
        "o = broadcast_add(o_zero, o_one)",
        "s = elemwise_add(z, o)",
        "heads s"), text(out));
  }

  @Test
  void meanBecomesSumTimesTheInverseCount() {
    Model out = rewrite(model(Map.of(), op("mean", "m", a("axis", "(1, 2)", "keepdims", "True"),
        input("data", 2, 3, 4))), 2, 3, 4);
    assertEquals(lines(
        "data = input {__shape__=(2, 3, 4)}",
        "m_sum = sum(data) {axis=(1, 2), keepdims=True}",
        "m_scale = param (1,)",
        "m = broadcast_mul(m_sum, m_scale)",
        "heads m"), text(out));
    assertEquals(1f / 12, out.params().get("m_scale").getFloat(0));
  }

  @Test
  void sumWithExcludeGetsExplicitAxes() {
    Model out = rewrite(model(Map.of(), op("sum", "s", a("axis", "(1,)", "exclude", "True"),
        input("data", 2, 3, 4))), 2, 3, 4);
    assertEquals(lines("data = input {__shape__=(2, 3, 4)}", "s = sum(data) {axis=(0, 2)}", "heads s"), text(out));
  }

  @Test
  void preluWithAParameterSlopeUsesTheSlopePerChannel() {
    Node lr = op("LeakyReLU", "pr", a("act_type", "prelu"), input("data", 2, 3, 2, 2), var("g"));
    Model out = rewrite(model(params("g", values(3, 3)), lr), 2, 3, 2, 2);
    assertEquals(lines(
        "data = input {__shape__=(2, 3, 2, 2)}",
        "pr_pos = relu(data)",
        "pr_neg = negative(data)",
        "pr_neg_relu = relu(pr_neg)",
        "pr_slope = param (1, 3, 1, 1)",
        "pr_neg_scaled = broadcast_mul(pr_neg_relu, pr_slope)",
        "pr = elemwise_sub(pr_pos, pr_neg_scaled)",
        "heads pr"), text(out));
  }

  @Test
  void rreluInInferenceUsesTheMeanSlope() {
    Model out = rewrite(model(Map.of(), op("LeakyReLU", "rr", a("act_type", "rrelu", "lower_bound", "0.1",
        "upper_bound", "0.3"), input("data", 2, 5))), 2, 5);
    assertEquals(0.2f, out.params().get("rr_slope").getFloat(0), 1e-7);
  }

  @Test
  void eluStays() {
    Model m = model(Map.of(), op("LeakyReLU", "e", a("act_type", "elu"), input("data", 2, 5)));
    assertEquals(text(m), text(rewrite(m, 2, 5)));
  }

  @Test
  void sigmoidActivationBecomesTheSigmoidOp() {
    Model out = rewrite(model(Map.of(), op("Activation", "s", a("act_type", "sigmoid"), input("data", 2, 3))), 2, 3);
    assertEquals(lines("data = input {__shape__=(2, 3)}", "s = sigmoid(data)", "heads s"), text(out));
  }

  @Test
  void averagePoolingWithTheFullConventionIsRefusedWhenTheWindowDoesNotTile() {
    Node pool = op("Pooling", "pool", a("kernel", "(2, 2)", "stride", "(2, 2)", "pool_type", "avg",
        "pooling_convention", "full"), input("data", 1, 1, 5, 5));
    MrtException e = assertThrows(MrtException.class, () -> new RewritePass().apply(model(Map.of(), pool), CTX));
    assertTrue(e.getMessage().startsWith("node pool (Pooling): avg pooling with pooling_convention=full and a window"
        + " that does not tile the input (size 5, kernel 2, stride 2, pad 0) has no convolution equivalent"),
        e.getMessage());
  }

  @Test
  void averagePoolingWithTheFullConventionThatTilesBecomesAConvolution() {
    Node pool = op("Pooling", "pool", a("kernel", "(2, 2)", "stride", "(2, 2)", "pool_type", "avg",
        "pooling_convention", "full"), input("data", 1, 1, 4, 4));
    assertEquals("Convolution", rewrite(model(Map.of(), pool), 1, 1, 4, 4).graph().node("pool").orElseThrow().op());
  }

  @Test
  void aOneDimensionalConvolutionRunsAsATwoDimensionalOne() {
    Node conv = op("Convolution", "c1", a("kernel", "(3,)", "num_filter", "4", "pad", "(1,)", "stride", "(2,)",
        "layout", "NCW"), input("data", 2, 3, 9), var("w"), var("b"));
    Model out = rewrite(model(params("w", values(1, 4, 3, 3), "b", values(2, 4)), conv), 2, 3, 9);
    assertEquals(lines(
        "data = input {__shape__=(2, 3, 9)}",
        "c1_expand = expand_dims(data) {axis=3}",
        "w = param (4, 3, 3)",
        "c1_weight_expand = expand_dims(w) {axis=3}",
        "b = param (4,)",
        "c1_2d = Convolution(c1_expand, c1_weight_expand, b) {dilate=(1, 1), kernel=(3, 1), layout=NCHW,"
            + " num_filter=4, pad=(1, 0), stride=(2, 1)}",
        "c1 = squeeze(c1_2d) {axis=(3,)}",
        "heads c1"), text(out));
    Model folded = new FuseConstantPass().apply(out, CTX);
    assertEquals("param (4, 3, 3, 1)", text(folded).lines().filter(l -> l.startsWith("c1_weight_expand"))
        .findFirst().orElseThrow().replaceAll(".* = ", "").replaceAll(" \\{.*", ""));
  }
}
