package io.mrt.runtime.pass;

import io.mrt.api.graph.Model;
import io.mrt.runtime.MrtException;
import java.util.List;
import java.util.Set;

/**
 * Input name replacement (MRT's {@code input_name_replace}): the model must have exactly one input
 * (a variable without a value), which is renamed {@code data}, keeping its attributes.
 */
public final class InputNameReplacePass implements ModelPass {
  /** The name of the model input after prepare. */
  public static final String DATA = "data";

  @Override
  public String name() {
    return "input_name_replace";
  }

  @Override
  public Model apply(Model model, PassContext ctx) {
    Set<String> inputs = model.inputNames();
    if (inputs.size() != 1) {
      throw new MrtException("expected exactly one input (a variable without a value in the params file), found "
          + inputs.size() + ": " + inputs + (inputs.size() > 1 ? "; is a parameter missing from the params file?" : ""));
    }
    String input = inputs.iterator().next();
    if (input.equals(DATA)) {
      return model;
    }
    if (model.params().containsKey(DATA)) {
      throw new MrtException("cannot rename input " + input + " to '" + DATA + "': a parameter has that name");
    }
    return GraphTransformer.transform(model, ctx.ops(), step -> step.isInput(step.node().out())
        ? List.of(step.variable(DATA, step.node().attrs()).out())
        : step.unchanged());
  }
}
