package io.mrt.runtime.stage.quantize;

import io.mrt.api.graph.Attrs;
import io.mrt.api.graph.Entry;
import io.mrt.api.graph.Model;
import io.mrt.api.graph.Node;
import io.mrt.api.graph.Shape;
import io.mrt.api.hook.InferPrecisionHook;
import io.mrt.api.hook.OpException;
import io.mrt.api.hook.PrecisionContext;
import io.mrt.api.hook.QuantMath;
import io.mrt.api.registry.HookType;
import io.mrt.runtime.MrtException;
import io.mrt.runtime.registry.OpTable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Applies the CVM precision rules (spec CVM_OPS.md, each op's {@code InferPrecisionHook}) to an
 * integer graph, forward in topological order, as the CVM runtime does at load
 * ({@code SetupPrecision}).
 *
 * <p>Variables take their {@code precision} attribute (every parameter value must be an integer
 * that fits it). The graph is refused, naming the node and its inputs' precisions, when a node's
 * precision is outside [1, 32], when a rule refuses its inputs (conv2d and dense take inputs of at
 * most 8 bits), or when an op has no rule. Nodes listed as float (restored nodes and their
 * dequantizing divisions) keep the precision given for them and are not checked.
 */
public final class PrecisionCheck {
  private final OpTable ops;

  /** A check with the rules of the given op table. */
  public PrecisionCheck(OpTable ops) {
    this.ops = ops;
  }

  /**
   * The precision of every entry of the model's graph.
   *
   * @param model the integer graph and its parameters
   * @param inputShapes the shapes of the input variables (others come from {@code __shape__})
   * @param floatNodes node name to precision, for nodes that stay float (not checked)
   * @throws MrtException naming the node when the graph breaks a rule
   */
  public Map<Entry, Integer> run(Model model, Map<String, Shape> inputShapes, Map<String, Integer> floatNodes) {
    GraphShapes shapes = new GraphShapes(ops, model.params()::get, inputShapes);
    Map<Entry, Integer> precs = new HashMap<>();
    for (Node n : model.graph().nodes()) {
      if (n.isVariable()) {
        Integer fixed = floatNodes.get(n.name());
        precs.put(n.out(), fixed != null ? fixed : variablePrecision(n, model.params().get(n.name())));
        continue;
      }
      List<Integer> in = new ArrayList<>();
      for (Entry e : n.inputs()) {
        in.add(precs.get(e));
      }
      Integer fixed = floatNodes.get(n.name());
      if (fixed != null) {
        precs.put(n.out(), fixed);
        continue;
      }
      InferPrecisionHook hook = ops.hook(HookType.INFER_PRECISION, n).orElseThrow(() -> new MrtException(
          "node " + n.name() + " (" + n.op() + "): the op has no precision rule (InferPrecisionHook), so the "
              + "integer graph cannot be checked against the CVM precision rules"));
      List<Integer> out;
      try {
        out = hook.inferPrecision(context(n, in, shapes, model));
      } catch (OpException | MrtException ex) {
        throw new MrtException(ex.getMessage() + "; inputs: " + describeInputs(n, in), ex);
      }
      for (int i = 0; i < out.size(); i++) {
        int p = out.get(i);
        if (p < 1 || p > QuantMath.MAX_BIT) {
          throw new MrtException("node " + n.name() + " (" + n.op() + ") would need " + p
              + " bits, outside the CVM's [1, 32]; inputs: " + describeInputs(n, in));
        }
        precs.put(new Entry(n, i), p);
      }
    }
    return precs;
  }

  private static String describeInputs(Node n, List<Integer> precs) {
    StringJoiner j = new StringJoiner(", ");
    for (int i = 0; i < n.inputs().size(); i++) {
      j.add(n.inputs().get(i) + " " + precs.get(i) + " bits");
    }
    return j.toString();
  }

  private static int variablePrecision(Node n, INDArray value) {
    String raw = n.attrs().raw("precision").orElseThrow(() -> new MrtException(
        "variable " + n.name() + " has no 'precision' attribute: every variable of an integer graph declares its precision"));
    int p;
    try {
      p = Attrs.parseInt("precision", raw);
    } catch (IllegalArgumentException ex) {
      throw new MrtException("variable " + n.name() + ": " + ex.getMessage(), ex);
    }
    if (p < 1 || p > QuantMath.MAX_BIT) {
      throw new MrtException("variable " + n.name() + ": precision must be in [1, 32], found " + p);
    }
    if (value != null) {
      long r = QuantMath.range(p);
      double[] v = Requantizer.values(value);
      for (int i = 0; i < v.length; i++) {
        if (v[i] != Math.rint(v[i]) || Math.abs(v[i]) > r) {
          throw new MrtException("parameter " + n.name() + ": value " + v[i] + " at flat index " + i
              + " is not an integer within precision " + p + " (|v| <= " + r + ")");
        }
      }
    }
    return p;
  }

  private PrecisionContext context(Node n, List<Integer> in, GraphShapes shapes, Model model) {
    Attrs attrs = ops.attrsOf(n);
    return new PrecisionContext() {
      @Override
      public Node node() {
        return n;
      }

      @Override
      public Attrs attrs() {
        return attrs;
      }

      @Override
      public List<Integer> inputPrecisions() {
        return List.copyOf(in);
      }

      @Override
      public List<Shape> inputShapes() {
        return new java.util.AbstractList<>() { // lazily: most rules need no shape
          @Override
          public Shape get(int i) {
            return shapes.of(n.inputs().get(i));
          }

          @Override
          public int size() {
            return n.inputs().size();
          }
        };
      }

      @Override
      public List<Shape> outputShapes() {
        List<Shape> s = new ArrayList<>();
        for (int i = 0; i < n.numOutputs(); i++) {
          s.add(shapes.of(new Entry(n, i)));
        }
        return s;
      }

      @Override
      public Optional<INDArray> paramValue(int i) {
        Entry e = n.inputs().get(i);
        return e.node().isVariable() ? Optional.ofNullable(model.params().get(e.node().name())) : Optional.empty();
      }
    };
  }
}
