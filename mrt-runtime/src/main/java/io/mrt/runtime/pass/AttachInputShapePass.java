package io.mrt.runtime.pass;

import io.mrt.api.graph.Attrs;
import io.mrt.api.graph.Model;
import io.mrt.api.graph.Shape;
import io.mrt.runtime.MrtException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Input shape attachment (MRT's {@code attach_input_shape}): each named input is re-declared with
 * its shape, as the {@code __shape__} attribute MXNet writes for {@code var(shape=...)}.
 *
 * <p>MRT's INPUT_SHAPE marks the batch axis with -1 (exactly one); {@link #withBatch} turns it into
 * a concrete shape (prepare uses batch 1, as MRT does).
 */
public final class AttachInputShapePass implements ModelPass {
  private final Map<String, Shape> shapes;

  /** Attaches the given shapes, by input name. */
  public AttachInputShapePass(Map<String, Shape> shapes) {
    this.shapes = new LinkedHashMap<>(shapes);
  }

  /** The shape {@code inputShape} with its single -1 (the batch axis) replaced by {@code batch}. */
  public static Shape withBatch(List<? extends Number> inputShape, long batch) {
    int marks = 0;
    long[] dims = new long[inputShape.size()];
    for (int i = 0; i < dims.length; i++) {
      long d = inputShape.get(i).longValue();
      if (d == -1) {
        marks++;
        d = batch;
      } else if (d <= 0) {
        throw new MrtException("PREPARE.INPUT_SHAPE " + inputShape + ": dimension " + i + " must be positive or -1"
            + " (the batch axis), found " + d);
      }
      dims[i] = d;
    }
    if (marks != 1) {
      throw new MrtException("PREPARE.INPUT_SHAPE " + inputShape + ": expected exactly one -1 (the batch axis),"
          + " found " + marks);
    }
    return Shape.of(dims);
  }

  @Override
  public String name() {
    return "attach_input_shape";
  }

  @Override
  public Model apply(Model model, PassContext ctx) {
    Set<String> inputs = model.inputNames();
    Set<String> unknown = new TreeSet<>(shapes.keySet());
    unknown.removeAll(inputs);
    if (!unknown.isEmpty()) {
      throw new MrtException("input shapes are given for " + unknown + ", but the model's inputs are " + inputs);
    }
    return GraphTransformer.transform(model, ctx.ops(), step -> {
      Shape s = shapes.get(step.node().name());
      if (s == null || !step.isInput(step.node().out())) {
        return step.unchanged();
      }
      Attrs attrs = step.node().attrs().with(ShapeMap.SHAPE_ATTR, Attrs.tuple(s.dims()));
      return List.of(step.variable(step.node().name(), attrs).out());
    });
  }
}
