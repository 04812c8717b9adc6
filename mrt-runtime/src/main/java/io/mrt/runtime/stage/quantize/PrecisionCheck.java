package io.mrt.runtime.stage.quantize;

import io.mrt.api.graph.Attrs;
import io.mrt.api.graph.Entry;
import io.mrt.api.graph.Model;
import io.mrt.api.graph.Node;
import io.mrt.api.graph.Shape;
import io.mrt.api.hook.InferPrecisionHook;
import io.mrt.api.hook.LowerContext;
import io.mrt.api.hook.LowerToCvmHook;
import io.mrt.api.hook.OpException;
import io.mrt.api.hook.PrecisionContext;
import io.mrt.api.hook.QuantMath;
import io.mrt.api.registry.HookType;
import io.mrt.runtime.MrtException;
import io.mrt.runtime.exec.cvm.CvmInference;
import io.mrt.runtime.registry.OpTable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Applies the CVM precision rules (spec CVM_OPS.md) to an integer graph, forward in topological
 * order, as the CVM runtime does at load ({@code SetupPrecision}).
 *
 * <p>A node's precision is its op's {@code InferPrecisionHook} when the op has one; otherwise the
 * node is lowered with its op's {@code lowerToCvm} hook and its precision is that of the CVM
 * operators it emits, inferred with the CVM runtime's own rules ({@link CvmInference}, which asks
 * the table of CVM operator rules): an op that lowers to CVM operators needs no precision rule of
 * its own.
 *
 * <p>Variables take their {@code precision} attribute (every parameter value must be an integer
 * that fits it). The graph is refused, naming the node and its inputs' precisions, when a node's
 * precision is outside [1, 32], when a rule refuses its inputs (conv2d and dense take inputs of at
 * most 8 bits), or when an op has neither rule nor lowering. Nodes listed as float (restored nodes
 * and their dequantizing divisions) keep the precision given for them and are not checked.
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
      Optional<InferPrecisionHook> hook = ops.hook(HookType.INFER_PRECISION, n);
      Optional<LowerToCvmHook> lower = ops.hook(HookType.LOWER_TO_CVM, n);
      if (hook.isEmpty() && lower.isEmpty()) {
        throw new MrtException("node " + n.name() + " (" + n.op() + "): the op has no precision rule (InferPrecisionHook) "
            + "and no lowering to CVM operators (LowerToCvmHook), so the integer graph cannot be checked against the "
            + "CVM precision rules");
      }
      List<Integer> out;
      try {
        out = hook.isPresent() ? hook.get().inferPrecision(context(n, in, shapes, model))
            : new LoweredPrecision(n, in, shapes, model).run(lower.get());
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

  /**
   * The precisions of a node's outputs as the CVM operators its {@code lowerToCvm} emits give them:
   * the node is lowered on stand-ins of its inputs (their shapes, precisions and parameter
   * values), and every emitted operator is typed with {@link CvmInference}.
   */
  private final class LoweredPrecision implements LowerContext {
    private final Node node;
    private final Attrs attrs;
    private final List<Entry> inputs = new ArrayList<>();
    private final Map<Node, CvmInference.NodeTypes> types = new IdentityHashMap<>();
    private final Map<Node, INDArray> values = new IdentityHashMap<>();

    LoweredPrecision(Node n, List<Integer> in, GraphShapes shapes, Model model) {
      this.node = n;
      this.attrs = ops.attrsOf(n);
      for (int i = 0; i < n.inputs().size(); i++) {
        Entry e = n.inputs().get(i);
        Node stand = Node.variable(e.node().name(), Attrs.empty());
        types.put(stand, new CvmInference.NodeTypes(List.of(shapes.of(e).dims()), new int[] {in.get(i)}));
        if (e.node().isVariable() && model.params().get(e.node().name()) != null) {
          values.put(stand, model.params().get(e.node().name()));
        }
        inputs.add(stand.out());
      }
    }

    List<Integer> run(LowerToCvmHook hook) {
      List<Entry> outs;
      try {
        outs = hook.lowerToCvm(this);
      } catch (OpException | MrtException e) {
        throw e;
      } catch (RuntimeException e) {
        throw new MrtException("node " + node.name() + " (" + node.op() + "): lowering to the CVM failed: " + e, e);
      }
      if (outs == null || outs.size() != node.numOutputs()) {
        throw new MrtException("node " + node.name() + " (" + node.op() + "): lowerToCvm returned "
            + (outs == null ? "null" : outs.size() + " entries") + ", expected " + node.numOutputs());
      }
      List<Integer> p = new ArrayList<>();
      for (Entry e : outs) {
        p.add(precisionOf(e));
      }
      return p;
    }

    private CvmInference.NodeTypes typesOf(Entry e) {
      CvmInference.NodeTypes t = types.get(e.node());
      if (t == null) {
        throw new IllegalStateException("entry " + e + " was not emitted while lowering " + node.name());
      }
      return t;
    }

    @Override
    public Node node() {
      return node;
    }

    @Override
    public Attrs attrs() {
      return attrs;
    }

    @Override
    public List<Entry> inputs() {
      return inputs;
    }

    @Override
    public Shape shapeOf(Entry e) {
      return Shape.of(typesOf(e).shapes().get(e.index()));
    }

    @Override
    public int precisionOf(Entry e) {
      return typesOf(e).precisions()[e.index()];
    }

    @Override
    public Optional<INDArray> paramValue(Entry e) {
      return Optional.ofNullable(values.get(e.node()));
    }

    @Override
    public Entry emit(String cvmOp, Attrs opAttrs, Entry... in) {
      List<long[]> shapes = new ArrayList<>();
      int[] precs = new int[in.length];
      for (int i = 0; i < in.length; i++) {
        shapes.add(typesOf(in[i]).shapes().get(in[i].index()));
        precs[i] = precisionOf(in[i]);
      }
      CvmInference.NodeTypes t = CvmInference.infer("node " + node.name() + " (" + node.op() + ", lowered to " + cvmOp
          + ")", cvmOp, opAttrs.asMap(), shapes, precs);
      Node emitted = new Node(cvmOp, node.name() + "_" + cvmOp, opAttrs, List.of(in), t.shapes().size());
      types.put(emitted, t);
      return emitted.out();
    }

    @Override
    public Entry param(String nameHint, INDArray value, int precision) {
      Node p = Node.variable(nameHint, Attrs.empty());
      long[] shape = value.shape().length == 0 ? new long[] {1} : value.shape();
      types.put(p, new CvmInference.NodeTypes(List.of(shape), new int[] {precision}));
      values.put(p, value);
      return p.out();
    }
  }
}
