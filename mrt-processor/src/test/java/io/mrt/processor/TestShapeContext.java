package io.mrt.processor;

import io.mrt.api.graph.Attrs;
import io.mrt.api.graph.Node;
import io.mrt.api.graph.Shape;
import io.mrt.api.hook.ShapeContext;
import java.util.List;

/** A shape context with the given input shapes, for calling generated dispatch tables in tests. */
record TestShapeContext(List<Shape> inputShapes) implements ShapeContext {
  TestShapeContext(Shape... shapes) {
    this(List.of(shapes));
  }

  @Override
  public Node node() {
    return Node.op("test_op", "test_node", Attrs.empty());
  }

  @Override
  public Attrs attrs() {
    return Attrs.empty();
  }
}
