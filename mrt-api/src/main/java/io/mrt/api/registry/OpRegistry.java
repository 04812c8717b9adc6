package io.mrt.api.registry;

import io.mrt.api.hook.CalibrateHook;
import io.mrt.api.hook.ForwardHook;
import io.mrt.api.hook.FuseTransposeHook;
import io.mrt.api.hook.InferPrecisionHook;
import io.mrt.api.hook.InferShapeHook;
import io.mrt.api.hook.LowerToCvmHook;
import io.mrt.api.hook.QuantizeHook;
import io.mrt.api.hook.RewriteHook;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The service provider interface that the annotation processor implements, once per jar.
 *
 * <p>The generated class holds one instance of each op class and, per hook kind, a table from the
 * descriptor key to the op instance seen through that kind's hook interface; {@link #hook} picks
 * the table with a switch on the {@link HookType}: calling a hook is a plain interface call, never
 * reflection. It is found by {@link java.util.ServiceLoader} on the class path and inside plugin
 * jars.
 */
public interface OpRegistry {
  /** A stable name for the registry, e.g. {@code ops-builtin}. */
  String name();

  /** The op descriptors, sorted by key. */
  List<OpDescriptor> ops();

  /**
   * The hook of kind {@code type} of the op with descriptor key {@code op}, or {@code null} when
   * the op has none. The processor generates it; this default answers for registries generated
   * before it existed, from their per-kind tables.
   */
  default <H> H hook(HookType<H> type, String op) {
    return type.legacyTable(this).get(op);
  }

  /**
   * Key to hook of kind {@code type}, in key order: {@link #hook} for every op whose descriptor
   * lists the kind.
   */
  default <H> Map<String, H> hooks(HookType<H> type) {
    Map<String, H> table = new LinkedHashMap<>();
    for (OpDescriptor d : ops()) {
      H h = d.has(type.hook()) ? hook(type, d.key()) : null;
      if (h != null) {
        table.put(d.key(), h);
      }
    }
    return Collections.unmodifiableMap(table);
  }

  /**
   * Key to {@link InferShapeHook}.
   *
   * @deprecated {@code hooks(HookType.INFER_SHAPE)}
   */
  @Deprecated
  default Map<String, InferShapeHook> inferShapeHooks() {
    return hooks(HookType.INFER_SHAPE);
  }

  /**
   * Key to {@link ForwardHook}.
   *
   * @deprecated {@code hooks(HookType.FORWARD)}
   */
  @Deprecated
  default Map<String, ForwardHook> forwardHooks() {
    return hooks(HookType.FORWARD);
  }

  /**
   * Key to {@link FuseTransposeHook}.
   *
   * @deprecated {@code hooks(HookType.FUSE_TRANSPOSE)}
   */
  @Deprecated
  default Map<String, FuseTransposeHook> fuseTransposeHooks() {
    return hooks(HookType.FUSE_TRANSPOSE);
  }

  /**
   * Key to {@link RewriteHook}.
   *
   * @deprecated {@code hooks(HookType.REWRITE)}
   */
  @Deprecated
  default Map<String, RewriteHook> rewriteHooks() {
    return hooks(HookType.REWRITE);
  }

  /**
   * Key to {@link CalibrateHook}.
   *
   * @deprecated {@code hooks(HookType.CALIBRATE)}
   */
  @Deprecated
  default Map<String, CalibrateHook> calibrateHooks() {
    return hooks(HookType.CALIBRATE);
  }

  /**
   * Key to {@link QuantizeHook}.
   *
   * @deprecated {@code hooks(HookType.QUANTIZE)}
   */
  @Deprecated
  default Map<String, QuantizeHook> quantizeHooks() {
    return hooks(HookType.QUANTIZE);
  }

  /**
   * Key to {@link InferPrecisionHook}; a registry generated before this kind existed has none.
   *
   * @deprecated {@code hooks(HookType.INFER_PRECISION)}
   */
  @Deprecated
  default Map<String, InferPrecisionHook> inferPrecisionHooks() {
    return hooks(HookType.INFER_PRECISION);
  }

  /**
   * Key to {@link LowerToCvmHook}.
   *
   * @deprecated {@code hooks(HookType.LOWER_TO_CVM)}
   */
  @Deprecated
  default Map<String, LowerToCvmHook> lowerToCvmHooks() {
    return hooks(HookType.LOWER_TO_CVM);
  }
}
