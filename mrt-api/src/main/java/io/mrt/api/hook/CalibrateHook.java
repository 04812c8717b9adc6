package io.mrt.api.hook;

/**
 * Decides what the calibration method sees of a node. Without this hook the calibrate stage
 * observes every output of the node as is (MRT V3 observes output 0 of every node: variables,
 * parameters and ops). An op overrides it to observe, for example, a transformed value, or an
 * output only.
 */
public interface CalibrateHook {
  /** Observes the node for one batch through {@link CalibrateContext#observe}. */
  void calibrate(CalibrateContext ctx);
}
