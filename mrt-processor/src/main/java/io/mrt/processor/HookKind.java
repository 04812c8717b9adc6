package io.mrt.processor;

/**
 * The stage hooks, in the order of {@code io.mrt.api.registry.HookType.values()}: the hook
 * interface of {@code io.mrt.api.hook} an op class implements. The generator writes the tables in
 * this order, and the generated {@code hook(HookType, op)} switches on these names. (The processor
 * depends on mrt-annotations alone at compile time, so it keeps this copy of the list;
 * {@code ProcessorTablesTest} checks it against {@code HookType}.)
 */
enum HookKind {
  INFER_SHAPE("InferShapeHook"),
  FORWARD("ForwardHook"),
  FUSE_TRANSPOSE("FuseTransposeHook"),
  REWRITE("RewriteHook"),
  CALIBRATE("CalibrateHook"),
  QUANTIZE("QuantizeHook"),
  INFER_PRECISION("InferPrecisionHook"),
  LOWER_TO_CVM("LowerToCvmHook");

  /** The package of the hook interfaces. */
  static final String PACKAGE = "io.mrt.api.hook";

  private final String iface;

  HookKind(String iface) {
    this.iface = iface;
  }

  /** The simple name of the hook interface, e.g. {@code InferShapeHook}. */
  String iface() {
    return iface;
  }

  /** The qualified name of the hook interface. */
  String qualifiedIface() {
    return PACKAGE + "." + iface;
  }

  /** The local variable the generated static block fills this stage's table in, e.g. {@code inferShape}. */
  String local() {
    return Character.toLowerCase(iface.charAt(0)) + iface.substring(1, iface.length() - "Hook".length());
  }

  /** The generated field holding this stage's table, e.g. {@code INFER_SHAPE_HOOKS}. */
  String tableField() {
    return name() + "_HOOKS";
  }
}
