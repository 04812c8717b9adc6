package io.mrt.api.hook;

/** Turns a float node into integer nodes (quantize stage): MRT's per-op {@code quantize}. */
public interface QuantizeHook {
  /** The integer output of the node with its scale and precision. */
  Quantized quantize(QuantizeContext ctx);
}
