package io.mrt.api.hook;

/**
 * Records what the calibration method should see of a node. Without this hook the calibrate
 * stage observes every output of the node as is.
 */
public interface CalibrateHook {
  /** Observes the node for one batch through {@link CalibrateContext#observe}. */
  void calibrate(CalibrateContext ctx);
}
