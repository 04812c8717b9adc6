package io.mrt.runtime.io.mxnet;

import io.mrt.api.graph.Attrs;
import io.mrt.api.graph.Graph;
import io.mrt.api.graph.Model;
import io.mrt.api.graph.Node;
import io.mrt.api.graph.Shape;
import io.mrt.api.graph.AttrException;
import io.mrt.runtime.MrtException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Loads and saves an MXNet model (symbol JSON + {@code .params}) as a {@link Model}.
 *
 * <p>{@link #load} keeps the parameter names as stored ({@code arg:}/{@code aux:} prefixes
 * included; the prepare stage strips them) and checks the two files against each other: every
 * variable except the inputs must have a value (stored as NAME, {@code arg:NAME} or
 * {@code aux:NAME}), and a variable's {@code __shape__} hint must match its value's shape (0 is
 * an unknown dimension). Unless the inputs are named, the input is the one variable without a
 * value, or {@code data} when several lack one.
 */
public final class MxnetModels {
  /** The name MXNet and MRT give the input. */
  public static final String DATA = "data";

  private MxnetModels() {}

  /** Loads and checks a model whose input is found as described above. */
  public static Model load(ModelFiles files) {
    return load(files, Set.of());
  }

  /** Loads and checks a model with the given input names (empty: find the input). */
  public static Model load(ModelFiles files, Set<String> inputs) {
    MxnetSymbol symbol = SymbolReader.read(files.symbol());
    Map<String, INDArray> params = NDArrayListReader.read(files.params()).asMap(files.params());
    check(symbol.graph(), params, files, inputs);
    return new Model(symbol.graph(), params);
  }

  /** Loads, checks and strips the parameter prefixes: a model the executors can run as is. */
  public static Model loadRunnable(ModelFiles files) {
    return ParamPrefixes.strip(load(files), files.params().toString());
  }

  /** Checks that the params hold a value of the right shape for every variable but the inputs. */
  public static void check(Graph graph, Map<String, INDArray> params, ModelFiles files, Set<String> inputs) {
    List<Node> missing = new ArrayList<>();
    for (Node v : graph.variables()) {
      Optional<Map.Entry<String, INDArray>> value = ParamPrefixes.lookup(params, v.name());
      if (value.isEmpty()) {
        if (!inputs.contains(v.name())) {
          missing.add(v);
        }
        continue;
      }
      if (inputs.contains(v.name())) {
        throw new MrtException(files.params() + ": node " + v.name() + " is named as an input but has a value ('"
            + value.get().getKey() + "') in the params file");
      }
      checkShapeHint(v, value.get(), files);
    }
    if (inputs.isEmpty() && !missing.isEmpty()) {
      // find the input: the single variable without a value, else the one named data
      if (missing.size() == 1) {
        return;
      }
      Optional<Node> data = missing.stream().filter(n -> n.name().equals(DATA)).findFirst();
      if (data.isEmpty()) {
        throw new MrtException(files.params() + ": cannot tell the input from missing parameters: the variables "
            + String.join(", ", missing.stream().map(Node::name).toList()) + " of " + files.symbol()
            + " have no value (a model has one input, usually named 'data'; name the inputs to load this model)");
      }
      missing.remove(data.get());
    }
    if (!missing.isEmpty()) {
      Node n = missing.get(0);
      throw new MrtException(files.params() + ": node " + n.name() + " (a variable of " + files.symbol()
          + "): missing parameter: expected '" + n.name() + "', '" + ParamPrefixes.ARG + n.name() + "' or '"
          + ParamPrefixes.AUX + n.name() + "' in the params file, found none"
          + (missing.size() > 1 ? " (" + (missing.size() - 1) + " more variables lack a value)" : ""));
    }
  }

  private static void checkShapeHint(Node v, Map.Entry<String, INDArray> value, ModelFiles files) {
    Optional<String> hint = v.attrs().raw("__shape__");
    if (hint.isEmpty()) {
      return;
    }
    long[] declared;
    try {
      declared = Attrs.parseLongs("__shape__", hint.get());
    } catch (AttrException e) {
      throw new MrtException(files.symbol() + ": node " + v.name() + ": " + e.getMessage());
    }
    long[] actual = value.getValue().shape();
    boolean ok = declared.length == actual.length;
    for (int i = 0; ok && i < declared.length; i++) {
      ok = declared[i] == 0 || declared[i] == actual[i];
    }
    if (!ok) {
      throw new MrtException(files.params() + ": node " + v.name() + ": shape mismatch: " + files.symbol()
          + " declares __shape__ " + hint.get() + ", the parameter '" + value.getKey() + "' has shape "
          + Shape.of(actual));
    }
  }

  /** Saves a model with MXNet's default graph attributes; each file is written atomically. */
  public static void save(Model model, ModelFiles files) {
    save(MxnetSymbol.of(model.graph()), model.params(), files);
  }

  /** Saves a symbol (with its graph attributes) and params; each file is written atomically. */
  public static void save(MxnetSymbol symbol, Map<String, INDArray> params, ModelFiles files) {
    NDArrayListWriter.write(NDArrayList.of(params), files.params());
    SymbolWriter.write(symbol, files.symbol());
  }
}
