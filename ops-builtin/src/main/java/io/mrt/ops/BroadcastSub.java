package io.mrt.ops;

import io.mrt.annotations.MrtOp;
import io.mrt.api.hook.QuantizeContext;
import io.mrt.api.hook.QuantizeHook;
import io.mrt.api.hook.Quantized;
import io.mrt.ops.support.QuantizeRules;
import org.nd4j.linalg.api.ndarray.INDArray;

/** MXNet {@code broadcast_sub}: the difference with numpy-style broadcasting; CVM {@code broadcast_sub}. */
@MrtOp(value = {"broadcast_sub", "broadcast_minus"}, emits = "broadcast_sub", inputPrecision = 16)
public final class BroadcastSub extends BroadcastBinary implements QuantizeHook {
  /** For the registry. */
  public BroadcastSub() {
    super("broadcast_sub", INDArray::sub);
  }

  /** MRT's broadcast add/sub: see {@link QuantizeRules#addOrPassThrough}. */
  @Override
  public Quantized quantize(QuantizeContext ctx) {
    return QuantizeRules.addOrPassThrough(ctx);
  }
}
