package io.mrt.plugins.hardsigmoid;

import io.mrt.api.graph.Attrs;
import io.mrt.api.graph.Node;
import io.mrt.api.graph.Shape;
import io.mrt.api.hook.ForwardContext;
import io.mrt.api.hook.ShapeContext;
import io.mrt.api.registry.OpDescriptor;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Hook contexts for one node, as the runtime builds them (attributes with defaults filled in). */
final class Contexts {
  private Contexts() {}

  static ShapeContext shape(Node node, OpDescriptor op, Shape... inputs) {
    Attrs attrs = node.attrs().withDefaults(op.defaults());
    return new ShapeContext() {
      @Override
      public Node node() {
        return node;
      }

      @Override
      public Attrs attrs() {
        return attrs;
      }

      @Override
      public List<Shape> inputShapes() {
        return List.of(inputs);
      }
    };
  }

  static ForwardContext forward(Node node, OpDescriptor op, INDArray... inputs) {
    Attrs attrs = node.attrs().withDefaults(op.defaults());
    return new ForwardContext() {
      @Override
      public Node node() {
        return node;
      }

      @Override
      public Attrs attrs() {
        return attrs;
      }

      @Override
      public List<INDArray> inputs() {
        return List.of(inputs);
      }
    };
  }
}
