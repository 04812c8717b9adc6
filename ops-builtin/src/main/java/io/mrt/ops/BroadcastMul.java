package io.mrt.ops;

import io.mrt.annotations.MrtOp;
import io.mrt.api.hook.QuantizeContext;
import io.mrt.api.hook.QuantizeHook;
import io.mrt.api.hook.Quantized;
import io.mrt.ops.support.QuantizeRules;
import org.nd4j.linalg.api.ndarray.INDArray;

/** MXNet {@code broadcast_mul}: the product with numpy-style broadcasting; CVM {@code broadcast_mul}. */
@MrtOp(value = "broadcast_mul", emits = "broadcast_mul", inputPrecision = 16)
public final class BroadcastMul extends BroadcastBinary implements QuantizeHook {
  /** For the registry. */
  public BroadcastMul() {
    super("broadcast_mul", INDArray::mul);
  }

  /** MRT's broadcast_mul: see {@link QuantizeRules#multiply}. */
  @Override
  public Quantized quantize(QuantizeContext ctx) {
    return QuantizeRules.multiply(ctx);
  }
}
