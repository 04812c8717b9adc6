package io.mrt.api.registry;

import io.mrt.api.hook.CalibrateHook;
import io.mrt.api.hook.ForwardHook;
import io.mrt.api.hook.FuseTransposeHook;
import io.mrt.api.hook.InferPrecisionHook;
import io.mrt.api.hook.InferShapeHook;
import io.mrt.api.hook.LowerToCvmHook;
import io.mrt.api.hook.QuantizeHook;
import io.mrt.api.hook.RewriteHook;
import java.util.List;
import java.util.Map;

/**
 * The service provider interface that the annotation processor implements, once per jar.
 *
 * <p>The generated class holds one instance of each op class and, per stage, a table from the
 * descriptor key to the op instance seen through that stage's hook interface: calling a hook is a
 * plain interface call, never reflection. It is found by {@link java.util.ServiceLoader} on the
 * class path and inside plugin jars.
 */
public interface OpRegistry {
  /** A stable name for the registry, e.g. {@code ops-builtin}. */
  String name();

  /** The op descriptors, sorted by key. */
  List<OpDescriptor> ops();

  /** Key to {@link InferShapeHook}. */
  Map<String, InferShapeHook> inferShapeHooks();

  /** Key to {@link ForwardHook}. */
  Map<String, ForwardHook> forwardHooks();

  /** Key to {@link FuseTransposeHook}. */
  Map<String, FuseTransposeHook> fuseTransposeHooks();

  /** Key to {@link RewriteHook}. */
  Map<String, RewriteHook> rewriteHooks();

  /** Key to {@link CalibrateHook}. */
  Map<String, CalibrateHook> calibrateHooks();

  /** Key to {@link QuantizeHook}. */
  Map<String, QuantizeHook> quantizeHooks();

  /**
   * Key to {@link InferPrecisionHook}. A default (empty) so that registries generated before the
   * hook existed still load; the processor always generates it.
   */
  default Map<String, InferPrecisionHook> inferPrecisionHooks() {
    return Map.of();
  }

  /** Key to {@link LowerToCvmHook}. */
  Map<String, LowerToCvmHook> lowerToCvmHooks();
}
