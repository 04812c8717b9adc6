package io.mrt.api.registry;

import io.mrt.api.graph.Node;
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
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The typed key of one hook kind: the {@link Hook} constant, the hook interface and the name of its
 * method. {@link OpRegistry#hook(HookType, String)} answers a key with a hook of exactly that
 * interface, so one generic lookup serves every stage.
 *
 * <p>The constants, in {@link #values()}, are the one list of hook kinds: the runtime iterates them,
 * and the annotation processor reads them (the type argument of each constant names the interface)
 * to decide which hooks an {@code @MrtOp} class implements and which tables its registry holds.
 *
 * @param <H> the hook interface
 */
@SuppressWarnings("deprecation") // the per-kind accessors, read for registries generated before this key
public final class HookType<H> {
  /** What the caller puts around a hook call, e.g. to name the node and the op in an error. */
  public interface Around {
    /** Runs {@code body}, the call of the hook on {@code node}, and returns what it returns. */
    <T> T call(Node node, Supplier<T> body);
  }

  /** {@link InferShapeHook}. */
  public static final HookType<InferShapeHook> INFER_SHAPE = new HookType<>(Hook.INFER_SHAPE,
      InferShapeHook.class, "inferShape", r -> r.inferShapeHooks(),
      (h, a) -> ctx -> a.call(ctx.node(), () -> h.inferShape(ctx)));
  /** {@link ForwardHook}. */
  public static final HookType<ForwardHook> FORWARD = new HookType<>(Hook.FORWARD,
      ForwardHook.class, "forward", r -> r.forwardHooks(),
      (h, a) -> ctx -> a.call(ctx.node(), () -> h.forward(ctx)));
  /** {@link FuseTransposeHook}. */
  public static final HookType<FuseTransposeHook> FUSE_TRANSPOSE = new HookType<>(Hook.FUSE_TRANSPOSE,
      FuseTransposeHook.class, "fuseTranspose", r -> r.fuseTransposeHooks(),
      (h, a) -> ctx -> a.call(ctx.node(), () -> h.fuseTranspose(ctx)));
  /** {@link RewriteHook}. */
  public static final HookType<RewriteHook> REWRITE = new HookType<>(Hook.REWRITE,
      RewriteHook.class, "rewrite", r -> r.rewriteHooks(),
      (h, a) -> ctx -> a.call(ctx.node(), () -> h.rewrite(ctx)));
  /** {@link CalibrateHook}. */
  public static final HookType<CalibrateHook> CALIBRATE = new HookType<>(Hook.CALIBRATE,
      CalibrateHook.class, "calibrate", r -> r.calibrateHooks(),
      (h, a) -> ctx -> a.call(ctx.node(), () -> {
        h.calibrate(ctx);
        return null;
      }));
  /** {@link QuantizeHook}. */
  public static final HookType<QuantizeHook> QUANTIZE = new HookType<>(Hook.QUANTIZE,
      QuantizeHook.class, "quantize", r -> r.quantizeHooks(),
      (h, a) -> ctx -> a.call(ctx.node(), () -> h.quantize(ctx)));
  /** {@link InferPrecisionHook}. */
  public static final HookType<InferPrecisionHook> INFER_PRECISION = new HookType<>(Hook.INFER_PRECISION,
      InferPrecisionHook.class, "inferPrecision", r -> r.inferPrecisionHooks(),
      (h, a) -> ctx -> a.call(ctx.node(), () -> h.inferPrecision(ctx)));
  /** {@link LowerToCvmHook}. */
  public static final HookType<LowerToCvmHook> LOWER_TO_CVM = new HookType<>(Hook.LOWER_TO_CVM,
      LowerToCvmHook.class, "lowerToCvm", r -> r.lowerToCvmHooks(),
      (h, a) -> ctx -> a.call(ctx.node(), () -> h.lowerToCvm(ctx)));

  private static final List<HookType<?>> VALUES = List.of(INFER_SHAPE, FORWARD, FUSE_TRANSPOSE, REWRITE,
      CALIBRATE, QUANTIZE, INFER_PRECISION, LOWER_TO_CVM);

  private final Hook hook;
  private final Class<H> type;
  private final String name;
  private final Function<OpRegistry, Map<String, H>> legacyTable;
  private final BiFunction<H, Around, H> around;

  private HookType(Hook hook, Class<H> type, String name, Function<OpRegistry, Map<String, H>> legacyTable,
      BiFunction<H, Around, H> around) {
    this.hook = hook;
    this.type = type;
    this.name = name;
    this.legacyTable = legacyTable;
    this.around = around;
  }

  /** Every hook kind, in pipeline order (the order of {@link Hook}). */
  public static List<HookType<?>> values() {
    return VALUES;
  }

  /** The key of {@code hook}. */
  public static HookType<?> of(Hook hook) {
    return VALUES.get(hook.ordinal());
  }

  /** The {@link Hook} constant, as listed in {@link OpDescriptor#hooks()}. */
  public Hook hook() {
    return hook;
  }

  /** The hook interface. */
  public Class<H> type() {
    return type;
  }

  /** The name of the hook's method, e.g. {@code inferShape}; used in messages. */
  public String name() {
    return name;
  }

  /** {@code h} with every call run through {@code around}. */
  public H around(H h, Around around) {
    return this.around.apply(h, around);
  }

  /**
   * The table of this kind in a registry generated before the generic lookup existed (which
   * implements the per-kind accessors only); what {@link OpRegistry#hook}'s default reads.
   */
  Map<String, H> legacyTable(OpRegistry registry) {
    return legacyTable.apply(registry);
  }

  @Override
  public String toString() {
    return hook.name();
  }
}
