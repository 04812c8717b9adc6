package io.mrt.ops;

import io.mrt.annotations.MrtOp;
import org.nd4j.linalg.api.ndarray.INDArray;

/** MXNet {@code broadcast_div}: the quotient with numpy-style broadcasting; CVM {@code broadcast_div}. */
@MrtOp(value = "broadcast_div", emits = "broadcast_div")
public final class BroadcastDiv extends BroadcastBinary {
  /** For the registry. */
  public BroadcastDiv() {
    super("broadcast_div", INDArray::div);
  }
}
