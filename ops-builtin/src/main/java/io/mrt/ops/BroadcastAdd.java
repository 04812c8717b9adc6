package io.mrt.ops;

import io.mrt.annotations.MrtOp;
import io.mrt.api.hook.QuantizeContext;
import io.mrt.api.hook.QuantizeHook;
import io.mrt.api.hook.Quantized;
import io.mrt.ops.support.QuantizeRules;
import org.nd4j.linalg.api.ndarray.INDArray;

/** MXNet {@code broadcast_add}: the sum with numpy-style broadcasting; CVM {@code broadcast_add}. */
@MrtOp(value = {"broadcast_add", "broadcast_plus"}, emits = "broadcast_add", inputPrecision = 16)
public final class BroadcastAdd extends BroadcastBinary implements QuantizeHook {
  /** For the registry. */
  public BroadcastAdd() {
    super("broadcast_add", INDArray::add);
  }

  /** MRT's broadcast add/sub: see {@link QuantizeRules#addOrPassThrough}. */
  @Override
  public Quantized quantize(QuantizeContext ctx) {
    return QuantizeRules.addOrPassThrough(ctx);
  }
}
