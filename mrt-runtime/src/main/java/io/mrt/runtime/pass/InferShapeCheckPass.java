package io.mrt.runtime.pass;

import io.mrt.api.graph.Model;
import io.mrt.runtime.exec.fp.ShapeInference;
import java.util.Map;

/** The {@code infer_shape} sanity check: every node's shape can be inferred. The model is unchanged. */
public final class InferShapeCheckPass implements ModelPass {
  @Override
  public String name() {
    return "infer_shape";
  }

  @Override
  public Model apply(Model model, PassContext ctx) {
    ShapeInference.infer(model, Map.of(), ctx.ops());
    return model;
  }
}
