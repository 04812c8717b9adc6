package io.mrt.api.hook;

import java.util.List;

/**
 * The CVM precision rule of an op (spec CVM_OPS.md, {@code FInferPrecision}): the bit width of
 * each output given the input precisions. For an op of the quantized graph it is the rule of the
 * CVM operator(s) its {@code lowerToCvm} emits (Convolution: conv2d's
 * {@code ip0 + ip1 + bitCount(C/g*kh*kw)}, with bias {@code max(., ip2) + 1}).
 *
 * <p>The quantize stage runs these rules over the integer graph, records each node's precision
 * and refuses a graph in which a node exceeds 32 bits. A rule refuses inputs the CVM runtime
 * refuses (conv2d and dense need inputs of at most 8 bits) by throwing {@code ctx.error(...)}.
 */
public interface InferPrecisionHook {
  /** The output precisions, one per output. */
  List<Integer> inferPrecision(PrecisionContext ctx);
}
