package io.mrt.api.registry;

/** The stage hooks an op may implement, in pipeline order. */
public enum Hook {
  /** {@link io.mrt.api.hook.InferShapeHook}. */
  INFER_SHAPE,
  /** {@link io.mrt.api.hook.ForwardHook}. */
  FORWARD,
  /** {@link io.mrt.api.hook.FuseTransposeHook}. */
  FUSE_TRANSPOSE,
  /** {@link io.mrt.api.hook.RewriteHook}. */
  REWRITE,
  /** {@link io.mrt.api.hook.CalibrateHook}. */
  CALIBRATE,
  /** {@link io.mrt.api.hook.QuantizeHook}. */
  QUANTIZE,
  /** {@link io.mrt.api.hook.InferPrecisionHook}. */
  INFER_PRECISION,
  /** {@link io.mrt.api.hook.LowerToCvmHook}. */
  LOWER_TO_CVM
}
