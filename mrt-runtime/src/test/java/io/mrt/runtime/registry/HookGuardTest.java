package io.mrt.runtime.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mrt.api.graph.Attrs;
import io.mrt.api.graph.Node;
import io.mrt.api.hook.ForwardContext;
import io.mrt.api.hook.ForwardHook;
import io.mrt.api.hook.OpException;
import io.mrt.api.registry.HookType;
import io.mrt.runtime.MrtException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

class HookGuardTest {
  private final Node node = Node.op("softsign", "act3", Attrs.empty(), Node.variable("x", Attrs.empty()).out());

  private static OpTable table(ForwardHook hook, String pluginId) {
    HandWrittenRegistry r = new HandWrittenRegistry("softsign-ops", "softsign", null, null, hook);
    return OpTable.merge(List.of(new OpSource(r, "softsign.jar", pluginId)), Map.of());
  }

  private ForwardContext ctx() {
    return new ForwardContext() {
      @Override
      public Node node() {
        return node;
      }

      @Override
      public Attrs attrs() {
        return node.attrs();
      }

      @Override
      public List<INDArray> inputs() {
        return List.of();
      }
    };
  }

  @Test
  void anExceptionFromAPluginHookBecomesAnOpFailureNamingPluginOpAndNode() {
    IllegalStateException boom = new IllegalStateException("kaput");
    ForwardHook guarded = table(c -> {
      throw boom;
    }, "softsign").hook(HookType.FORWARD, node).orElseThrow();
    OpFailure e = assertThrows(OpFailure.class, () -> guarded.forward(ctx()));
    assertEquals("node act3 (softsign): the forward hook of plugin softsign (softsign.jar) failed: "
        + "java.lang.IllegalStateException: kaput", e.getMessage());
    assertEquals("act3", e.nodeName());
    assertEquals("softsign", e.opKey());
    assertEquals("forward", e.hook());
    assertEquals("softsign", e.pluginId());
    assertSame(boom, e.getCause());
  }

  @Test
  void aLinkageErrorFromAPluginBuiltAgainstAnotherApiIsReportedTheSameWay() {
    ForwardHook guarded = table(c -> {
      throw new NoSuchMethodError("'void io.mrt.api.hook.ForwardContext.gone()'");
    }, "softsign").hook(HookType.FORWARD, node).orElseThrow();
    OpFailure e = assertThrows(OpFailure.class, () -> guarded.forward(ctx()));
    assertEquals("node act3 (softsign): the forward hook of plugin softsign (softsign.jar) failed: "
        + "java.lang.NoSuchMethodError: 'void io.mrt.api.hook.ForwardContext.gone()'", e.getMessage());
  }

  @Test
  void aHookRefusingItsNodeIsBadInputNamingTheProvider() {
    ForwardHook guarded = table(c -> {
      throw c.error("input must be 4-D, found 2-D");
    }, null).hook(HookType.FORWARD, node).orElseThrow();
    OpFailure e = assertThrows(OpFailure.class, () -> guarded.forward(ctx()));
    assertEquals("node act3 (softsign): input must be 4-D, found 2-D [forward hook of softsign-ops (softsign.jar)]",
        e.getMessage());
    assertInstanceOf(OpException.class, e.getCause());
  }

  @Test
  void aBugInAClassPathHookStaysAnInternalErrorWithTheSameNames() {
    ForwardHook guarded = table(c -> {
      throw new NullPointerException("weights");
    }, null).hook(HookType.FORWARD, node).orElseThrow();
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> guarded.forward(ctx()));
    assertEquals("node act3 (softsign): the forward hook of softsign-ops (softsign.jar) failed: "
        + "java.lang.NullPointerException: weights", e.getMessage());
  }

  @Test
  void anMrtExceptionFromTheRuntimeCalledByTheHookPassesUnchanged() {
    MrtException runtime = new MrtException("node act3: precision 40 is above 32");
    ForwardHook guarded = table(c -> {
      throw runtime;
    }, "softsign").hook(HookType.FORWARD, node).orElseThrow();
    assertSame(runtime, assertThrows(MrtException.class, () -> guarded.forward(ctx())));
  }
}
