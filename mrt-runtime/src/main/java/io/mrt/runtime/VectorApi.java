package io.mrt.runtime;

/**
 * Whether the incubating Vector API can be used: the CVM kernels and the calibration statistics
 * take their {@code jdk.incubator.vector} code paths only when it is, and their plain loops (the
 * same results) otherwise.
 */
public final class VectorApi {
  /** Whether {@code jdk.incubator.vector} is in the boot layer (java --add-modules jdk.incubator.vector). */
  public static final boolean AVAILABLE = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

  private VectorApi() {}
}
