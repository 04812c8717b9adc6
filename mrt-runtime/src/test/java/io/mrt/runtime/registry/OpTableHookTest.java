package io.mrt.runtime.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mrt.api.graph.Attrs;
import io.mrt.api.graph.Node;
import io.mrt.api.graph.Shape;
import io.mrt.api.hook.ForwardHook;
import io.mrt.api.hook.ShapeContext;
import io.mrt.api.registry.Hook;
import io.mrt.api.registry.HookType;
import io.mrt.api.registry.OpRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@link OpTable#hook}: one generic lookup for every hook kind. */
class OpTableHookTest {
  private final OpTable builtins = OpTable.load();
  private final Node x = Node.variable("x", Attrs.empty());
  private final Node relu = Node.op("relu", "relu0", Attrs.empty(), x.out());
  private final Node add = Node.op("elemwise_add", "add0", Attrs.empty(), x.out(), x.out());

  @Test
  void aBuiltInOpHasExactlyTheHookKindsItsDescriptorLists() {
    for (Node n : List.of(relu, add)) {
      ResolvedOp op = builtins.resolve(n);
      List<Hook> found = new ArrayList<>();
      for (HookType<?> type : HookType.values()) {
        if (builtins.hook(type, n).isPresent()) {
          found.add(type.hook());
        }
      }
      assertEquals(List.copyOf(op.descriptor().hooks()), found, n.op());
    }
    // elemwise_add states no precision rule: the precision check takes the rule of the CVM elemwise_add it lowers to
    assertEquals(List.of(Hook.INFER_SHAPE, Hook.FORWARD, Hook.FUSE_TRANSPOSE, Hook.QUANTIZE, Hook.LOWER_TO_CVM),
        List.copyOf(builtins.resolve(add).descriptor().hooks()));
  }

  @Test
  void theLookupCallsTheOpsOwnHook() {
    Node flat = Node.op("Flatten", "flat0", Attrs.empty(), x.out());
    ShapeContext ctx = new ShapeContext() {
      @Override
      public Node node() {
        return flat;
      }

      @Override
      public Attrs attrs() {
        return flat.attrs();
      }

      @Override
      public List<Shape> inputShapes() {
        return List.of(Shape.of(2, 3, 4));
      }
    };
    assertEquals(List.of(Shape.of(2, 12)), builtins.hook(HookType.INFER_SHAPE, flat).orElseThrow().inferShape(ctx));
    assertEquals(Optional.of("io.mrt.ops.Flatten"), builtins.hookClass(HookType.INFER_SHAPE, flat));
  }

  @Test
  void aRegistryGeneratedBeforeTheGenericLookupIsReadThroughItsPerKindTables() {
    ForwardHook forward = ctx -> List.of();
    OpRegistry old = new HandWrittenRegistry("old-ops", "softsign", null, null, forward);
    assertSame(forward, old.hook(HookType.FORWARD, "softsign"));
    assertEquals(null, old.hook(HookType.QUANTIZE, "softsign"));
    assertEquals(null, old.hook(HookType.INFER_PRECISION, "softsign"));
    assertEquals(Map.of("softsign", forward), old.hooks(HookType.FORWARD));

    OpTable table = OpTable.merge(List.of(new OpSource(old, "old.jar", "old")), Map.of());
    Node n = Node.op("softsign", "s0", Attrs.empty(), x.out());
    assertEquals(true, table.hook(HookType.FORWARD, n).isPresent());
    assertEquals(Optional.empty(), table.hook(HookType.LOWER_TO_CVM, n));
  }

  @Test
  void aNodeWithoutAProviderIsAnErrorNamingTheNode() {
    Node n = Node.op("no_such_op", "n0", Attrs.empty(), x.out());
    assertEquals("node n0: no registered implementation of op no_such_op; a plugin can provide it (drop its jar "
        + "into the plugins directory, see `mrt plugins`)",
        assertThrows(io.mrt.runtime.MrtException.class, () -> builtins.hook(HookType.FORWARD, n)).getMessage());
  }
}
