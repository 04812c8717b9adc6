package com.example.mrt.softsign;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mrt.api.graph.Attrs;
import io.mrt.api.graph.Node;
import io.mrt.api.graph.Shape;
import io.mrt.api.hook.OpException;
import io.mrt.api.registry.Hook;
import io.mrt.api.registry.HookType;
import io.mrt.api.registry.OpDescriptor;
import io.mrt.api.registry.OpRegistry;
import io.mrt.testing.Descriptors;
import io.mrt.testing.HookContexts;
import io.mrt.testing.TinyGraph;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Tests of the op through its generated registry, as the runtime calls it: mrt-testing builds the
 * hook contexts the runtime would (the node's attributes with the op's defaults filled in).
 */
class SoftsignTest {
  private static final String KEY = "Activation[act_type=softsign]";
  private final OpRegistry registry = new SoftsignOpRegistry();
  private final Node node = TinyGraph.unary("Activation", "act1", Attrs.of("act_type", "softsign"));
  private final OpDescriptor op = Descriptors.handling(registry, node);

  @Test
  void theGeneratedRegistryDescribesTheOp() {
    assertEquals(1, registry.ops().size());
    assertEquals("softsign", registry.name());
    assertEquals(KEY, op.key());
    assertEquals(Set.of(Hook.INFER_SHAPE, Hook.FORWARD), op.hooks());
    assertTrue(op.handles(Node.op("softsign", "s", Attrs.empty(), node.input(0))));
  }

  @Test
  void forwardComputesXOverOnePlusAbsX() {
    INDArray x = Nd4j.createFromArray(new float[] {-3f, -1f, 0f, 0.5f, 4f});
    INDArray y = registry.hook(HookType.FORWARD, KEY).forward(HookContexts.forward(node, op, x)).get(0);
    assertArrayEquals(new float[] {-0.75f, -0.5f, 0f, 1f / 3f, 0.8f}, y.toFloatVector(), 1e-6f);
    assertArrayEquals(new float[] {-3f, -1f, 0f, 0.5f, 4f}, x.toFloatVector(), "input unchanged");
  }

  @Test
  void inferShapeKeepsTheShapeAndRefusesTwoInputs() {
    assertEquals(List.of(Shape.of(4, 20)), registry.hook(HookType.INFER_SHAPE, KEY)
        .inferShape(HookContexts.shape(node, op, Shape.of(4, 20))));
    OpException e = assertThrows(OpException.class,
        () -> new Softsign().inferShape(HookContexts.shape(node, op, Shape.of(4), Shape.of(4))));
    assertEquals("node act1 (Activation): softsign takes 1 input, found 2", e.getMessage());
  }
}
