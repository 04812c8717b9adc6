package io.mrt.runtime.pass;

import io.mrt.api.graph.Model;
import io.mrt.api.graph.Node;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Parameter unification (MRT's {@code params_unique}): only the parameters that a variable of the
 * graph refers to are kept, in graph order.
 */
public final class ParamsUniquePass implements ModelPass {
  @Override
  public String name() {
    return "params_unique";
  }

  @Override
  public Model apply(Model model, PassContext ctx) {
    Map<String, INDArray> kept = new LinkedHashMap<>();
    for (Node v : model.graph().variables()) {
      INDArray value = model.params().get(v.name());
      if (value != null) {
        kept.put(v.name(), value);
      }
    }
    return new Model(model.graph(), kept);
  }
}
