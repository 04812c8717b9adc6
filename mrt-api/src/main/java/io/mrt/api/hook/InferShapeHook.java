package io.mrt.api.hook;

import io.mrt.api.graph.Shape;
import java.util.List;

/** Infers the output shapes of a node from its input shapes. */
public interface InferShapeHook {
  /** The output shapes, one per output; throws {@link OpException} on inconsistent inputs. */
  List<Shape> inferShape(ShapeContext ctx);
}
