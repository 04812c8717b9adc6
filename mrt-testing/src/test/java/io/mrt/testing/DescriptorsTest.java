package io.mrt.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mrt.api.graph.Attrs;
import io.mrt.api.graph.Node;
import io.mrt.api.registry.AttrSpec;
import io.mrt.api.registry.AttrType;
import io.mrt.api.registry.Hook;
import io.mrt.api.registry.OpDescriptor;
import io.mrt.api.registry.OpRegistry;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DescriptorsTest {
  private static OpDescriptor op(String key, String whenAttr, List<String> whenValues) {
    return new OpDescriptor(key, List.of("Activation"), whenAttr, whenValues,
        List.of(new AttrSpec("act_type", AttrType.STRING, null)), false, List.of(), 0, Set.of(Hook.FORWARD),
        "test." + key);
  }

  /** Lists the unkeyed op first, so that the keyed-first rule is what picks tanh. */
  private static final OpRegistry REGISTRY = new OpRegistry() {
    @Override
    public String name() {
      return "acts";
    }

    @Override
    public List<OpDescriptor> ops() {
      return List.of(op("Activation", "", List.of()), op("Activation[act_type=tanh]", "act_type", List.of("tanh")));
    }
  };

  @Test
  void anOpKeyedByTheNodesAttributeWinsOverTheUnkeyedOne() {
    Node tanh = TinyGraph.unary("Activation", "a1", Attrs.of("act_type", "tanh"));
    Node relu = TinyGraph.unary("Activation", "a2", Attrs.of("act_type", "relu"));
    assertEquals("Activation[act_type=tanh]", Descriptors.handling(REGISTRY, tanh).key());
    assertEquals("Activation", Descriptors.handling(REGISTRY, relu).key());
  }

  @Test
  void aNodeNoOpHandlesIsRefusedNamingTheNodeAndTheRegistrysOps() {
    Node n = TinyGraph.unary("tanh", "t1", Attrs.empty());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Descriptors.handling(REGISTRY, n));
    assertEquals("no op of registry acts handles node t1 (tanh {}); its ops: [Activation, Activation[act_type=tanh]]",
        e.getMessage());
  }
}
