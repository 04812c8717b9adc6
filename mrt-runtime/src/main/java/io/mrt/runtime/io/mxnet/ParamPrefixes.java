package io.mrt.runtime.io.mxnet;

import io.mrt.api.graph.Model;
import io.mrt.runtime.MrtException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * MXNet's parameter naming: checkpoints store {@code arg:NAME} for arguments and
 * {@code aux:NAME} for auxiliary states. MRT's {@code remove_params_prefix} strips them; a
 * collision of two stripped names is an error.
 */
public final class ParamPrefixes {
  /** The argument prefix. */
  public static final String ARG = "arg:";
  /** The auxiliary-state prefix. */
  public static final String AUX = "aux:";

  private ParamPrefixes() {}

  /** The name without a leading {@code arg:} or {@code aux:}. */
  public static String strip(String name) {
    return name.startsWith(ARG) || name.startsWith(AUX) ? name.substring(4) : name;
  }

  /** The params with prefixes stripped, in order; {@code source} names the file in errors. */
  public static Map<String, INDArray> strip(Map<String, INDArray> params, String source) {
    Map<String, INDArray> out = new LinkedHashMap<>();
    Map<String, String> from = new LinkedHashMap<>();
    for (Map.Entry<String, INDArray> e : params.entrySet()) {
      String bare = strip(e.getKey());
      String prev = from.put(bare, e.getKey());
      if (prev != null) {
        throw new MrtException(source + ": parameters '" + prev + "' and '" + e.getKey() + "' both become '" + bare
            + "' without their prefix");
      }
      out.put(bare, e.getValue());
    }
    return out;
  }

  /** The model with its parameter names stripped. */
  public static Model strip(Model model, String source) {
    return new Model(model.graph(), strip(model.params(), source));
  }

  /** The value of variable {@code name}: stored as is, with {@code arg:} or with {@code aux:}. */
  public static Optional<Map.Entry<String, INDArray>> lookup(Map<String, INDArray> params, String name) {
    for (String key : new String[] {name, ARG + name, AUX + name}) {
      INDArray v = params.get(key);
      if (v != null) {
        return Optional.of(Map.entry(key, v));
      }
    }
    return Optional.empty();
  }
}
