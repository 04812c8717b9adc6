package io.mrt.ops.support;

import io.mrt.api.graph.Attrs;
import io.mrt.api.graph.Node;
import io.mrt.api.graph.Shape;
import io.mrt.api.hook.ForwardContext;
import io.mrt.api.hook.ShapeContext;
import java.util.List;

/** Lets a forward hook reuse its op's shape inference on the actual input shapes. */
public final class ShapeOf {
  private ShapeOf() {}

  /** A shape context over the shapes of a forward context's inputs. */
  public static ShapeContext inputs(ForwardContext f) {
    List<Shape> shapes = f.inputs().stream().map(Tensors::shape).toList();
    return new ShapeContext() {
      @Override
      public Node node() {
        return f.node();
      }

      @Override
      public Attrs attrs() {
        return f.attrs();
      }

      @Override
      public List<Shape> inputShapes() {
        return shapes;
      }
    };
  }
}
