package io.mrt.runtime.registry;

import io.mrt.api.graph.Shape;
import io.mrt.api.hook.CalibrateHook;
import io.mrt.api.hook.ForwardHook;
import io.mrt.api.hook.FuseTransposeHook;
import io.mrt.api.hook.InferShapeHook;
import io.mrt.api.hook.LowerToCvmHook;
import io.mrt.api.hook.QuantizeHook;
import io.mrt.api.hook.RewriteHook;
import io.mrt.api.registry.Hook;
import io.mrt.api.registry.OpDescriptor;
import io.mrt.api.registry.OpRegistry;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A registry written by hand in the style of registries generated before {@code HookType} (one
 * table accessor per hook kind, no {@code hook(HookType, op)}), with one op whose forward hook is
 * given: the runtime reads it through {@code OpRegistry.hook}'s default. Tests subclass it (public, no-arg) to pack it into plugin jars.
 */
public class HandWrittenRegistry implements OpRegistry {
  private final String name;
  private final OpDescriptor op;
  private final ForwardHook forward;

  /** A registry {@code name} with op {@code op} (unkeyed, or keyed by {@code attr=value}). */
  public HandWrittenRegistry(String name, String op, String attr, String value, ForwardHook forward) {
    this.name = name;
    String key = attr == null ? op : op + "[" + attr + "=" + value + "]";
    this.op = new OpDescriptor(key, List.of(op), attr == null ? "" : attr, attr == null ? List.of() : List.of(value),
        List.of(), true, List.of(), 0, Set.of(Hook.INFER_SHAPE, Hook.FORWARD), getClass().getName());
    this.forward = forward;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public List<OpDescriptor> ops() {
    return List.of(op);
  }

  @Override
  public Map<String, InferShapeHook> inferShapeHooks() {
    InferShapeHook same = ctx -> List.<Shape>of(ctx.inputShape(0));
    return Map.of(op.key(), same);
  }

  @Override
  public Map<String, ForwardHook> forwardHooks() {
    return Map.of(op.key(), forward);
  }

  @Override
  public Map<String, FuseTransposeHook> fuseTransposeHooks() {
    return Map.of();
  }

  @Override
  public Map<String, RewriteHook> rewriteHooks() {
    return Map.of();
  }

  @Override
  public Map<String, CalibrateHook> calibrateHooks() {
    return Map.of();
  }

  @Override
  public Map<String, QuantizeHook> quantizeHooks() {
    return Map.of();
  }

  @Override
  public Map<String, LowerToCvmHook> lowerToCvmHooks() {
    return Map.of();
  }
}
