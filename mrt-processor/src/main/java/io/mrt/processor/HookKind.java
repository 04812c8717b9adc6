package io.mrt.processor;

/**
 * The stage hooks, in the order of {@code io.mrt.api.registry.Hook}: the hook interface of
 * {@code io.mrt.api.hook} an op class implements, and the {@code OpRegistry} accessor of its
 * dispatch table. The generator writes the tables in this order.
 */
enum HookKind {
  INFER_SHAPE("InferShapeHook", "inferShapeHooks"),
  FORWARD("ForwardHook", "forwardHooks"),
  FUSE_TRANSPOSE("FuseTransposeHook", "fuseTransposeHooks"),
  REWRITE("RewriteHook", "rewriteHooks"),
  CALIBRATE("CalibrateHook", "calibrateHooks"),
  QUANTIZE("QuantizeHook", "quantizeHooks"),
  INFER_PRECISION("InferPrecisionHook", "inferPrecisionHooks"),
  LOWER_TO_CVM("LowerToCvmHook", "lowerToCvmHooks");

  /** The package of the hook interfaces. */
  static final String PACKAGE = "io.mrt.api.hook";

  private final String iface;
  private final String accessor;

  HookKind(String iface, String accessor) {
    this.iface = iface;
    this.accessor = accessor;
  }

  /** The simple name of the hook interface, e.g. {@code InferShapeHook}. */
  String iface() {
    return iface;
  }

  /** The qualified name of the hook interface. */
  String qualifiedIface() {
    return PACKAGE + "." + iface;
  }

  /** The {@code OpRegistry} method returning this stage's table, e.g. {@code inferShapeHooks}. */
  String accessor() {
    return accessor;
  }

  /** The generated field holding this stage's table, e.g. {@code INFER_SHAPE_HOOKS}. */
  String tableField() {
    return name() + "_HOOKS";
  }
}
