package io.mrt.runtime.pass;

import io.mrt.api.graph.Model;
import io.mrt.runtime.MrtException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Parameter prefix removal (MRT's {@code remove_params_prefix}): a leading {@code arg:} or
 * {@code aux:} is stripped from every parameter name, as MXNet's checkpoints write them. Two keys
 * that become the same name are an error naming both.
 */
public final class RemoveParamsPrefixPass implements ModelPass {
  @Override
  public String name() {
    return "remove_params_prefix";
  }

  @Override
  public Model apply(Model model, PassContext ctx) {
    Map<String, INDArray> out = new LinkedHashMap<>();
    Map<String, String> from = new LinkedHashMap<>();
    boolean changed = false;
    for (Map.Entry<String, INDArray> e : model.params().entrySet()) {
      String key = e.getKey();
      String name = key.startsWith("arg:") || key.startsWith("aux:") ? key.substring(4) : key;
      changed |= !name.equals(key);
      String prev = from.put(name, key);
      if (prev != null) {
        throw new MrtException("parameters '" + prev + "' and '" + key + "' both become '" + name
            + "' without their arg:/aux: prefix; expected unique parameter names");
      }
      out.put(name, e.getValue());
    }
    return changed ? new Model(model.graph(), out) : model;
  }
}
