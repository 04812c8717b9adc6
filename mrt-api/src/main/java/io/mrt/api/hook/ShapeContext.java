package io.mrt.api.hook;

import io.mrt.api.graph.Shape;
import java.util.List;

/** The context of {@link InferShapeHook}: the shapes of the node's inputs. */
public interface ShapeContext extends OpContext {
  /** The input shapes, in input order. */
  List<Shape> inputShapes();

  /** Input shape {@code i}. */
  default Shape inputShape(int i) {
    return inputShapes().get(i);
  }
}
