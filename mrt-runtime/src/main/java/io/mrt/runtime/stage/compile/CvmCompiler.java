package io.mrt.runtime.stage.compile;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mrt.api.graph.Attrs;
import io.mrt.api.graph.Entry;
import io.mrt.api.graph.Graph;
import io.mrt.api.graph.Model;
import io.mrt.api.graph.Node;
import io.mrt.api.graph.Shape;
import io.mrt.api.hook.LowerContext;
import io.mrt.api.hook.LowerToCvmHook;
import io.mrt.api.hook.OpException;
import io.mrt.api.registry.HookType;
import io.mrt.runtime.MrtException;
import io.mrt.runtime.exec.cvm.CvmExecutor;
import io.mrt.runtime.exec.cvm.CvmInference;
import io.mrt.runtime.io.cvm.CvmEntryRef;
import io.mrt.runtime.io.cvm.CvmGraphBuilder;
import io.mrt.runtime.io.cvm.CvmModel;
import io.mrt.runtime.io.cvm.CvmStoragePlan;
import io.mrt.runtime.io.cvm.CvmTensor;
import io.mrt.runtime.registry.OpTable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Lowers a quantized graph to a CVM model (MRT's {@code to_cvm} + {@code cvm.graph.build}): every
 * op node goes through its op's {@code lowerToCvm} hook, which emits CVM operators; shapes and
 * precisions are inferred with the CVM runtime's own rules as the nodes are emitted; parameters
 * become int8 (precision at most 8) or int32 tensors; operator nodes are named {@code <op>_<k>}.
 * A hook may emit only the CVM operators its op declares in {@code @MrtOp(emits = ...)}. The
 * result passes {@link CvmExecutor}'s load checks, or the compile fails naming the node. Storage
 * ids are planned by liveness ({@link CvmStoragePlan}) unless asked otherwise.
 */
public final class CvmCompiler {
  /** The attribute holding a variable's precision in the quantized graph (as MRT writes it). */
  public static final String PRECISION = "precision";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Model model;
  private final OpTable ops;
  private final long[] inputShape;
  private final CvmStoragePlan.Strategy storage;

  /** Typing of one emitted node. */
  private record Typed(List<long[]> shapes, int[] precisions) {}

  private final Map<Node, Typed> types = new IdentityHashMap<>();
  private final Map<Node, int[]> paramValues = new IdentityHashMap<>();
  private final Map<Node, Integer> paramPrecision = new IdentityHashMap<>();
  private final Set<String> names = new HashSet<>();
  private final Map<String, Integer> opCounters = new HashMap<>();

  private CvmCompiler(Model model, OpTable ops, long[] inputShape, CvmStoragePlan.Strategy storage) {
    this.model = model;
    this.storage = storage;
    this.ops = ops;
    this.inputShape = inputShape.clone();
  }

  /**
   * Compiles {@code quantized} for an input {@code data} of shape {@code inputShape}. The graph's
   * variables carry attribute {@code precision}; parameters hold exact integers.
   */
  public static CvmModel compile(Model quantized, OpTable ops, long[] inputShape) {
    return compile(quantized, ops, inputShape, CvmStoragePlan.Strategy.LIVENESS);
  }

  /** As {@link #compile(Model, OpTable, long[])}, with the storage laid out by {@code storage}. */
  public static CvmModel compile(Model quantized, OpTable ops, long[] inputShape, CvmStoragePlan.Strategy storage) {
    return new CvmCompiler(quantized, ops, inputShape, storage).run();
  }

  private CvmModel run() {
    Map<Node, List<Entry>> lowered = new IdentityHashMap<>();
    for (Node n : model.graph().nodes()) {
      if (n.isVariable()) {
        lowered.put(n, List.of(variable(n).out()));
        continue;
      }
      List<Entry> inputs = new ArrayList<>();
      for (Entry e : n.inputs()) {
        inputs.add(lowered.get(e.node()).get(e.index()));
      }
      LowerToCvmHook hook = ops.hook(HookType.LOWER_TO_CVM, n).orElseThrow(() -> new MrtException("node " + n.name() + " (" + n.op()
          + "): op " + ops.resolve(n).key() + " has no lowerToCvm hook, so it cannot be compiled to the CVM "
          + "(restore it or use a plugin that lowers it)"));
      Context ctx = new Context(n, inputs);
      List<Entry> outs;
      try {
        outs = hook.lowerToCvm(ctx);
      } catch (OpException | MrtException e) {
        throw e;
      } catch (RuntimeException e) {
        throw new MrtException("node " + n.name() + " (" + n.op() + "): lowering to the CVM failed: " + e, e);
      }
      if (outs == null || outs.size() != n.numOutputs()) {
        throw new MrtException("node " + n.name() + " (" + n.op() + "): lowerToCvm returned "
            + (outs == null ? "null" : outs.size() + " entries") + ", expected " + n.numOutputs());
      }
      lowered.put(n, outs);
    }
    List<Entry> heads = new ArrayList<>();
    for (Entry h : model.graph().heads()) {
      heads.add(lowered.get(h.node()).get(h.index()));
    }
    return build(new Graph(heads));
  }

  private String unique(String hint) {
    String name = hint;
    int k = 1;
    while (!names.add(name)) {
      name = hint + "_" + k++;
    }
    return name;
  }

  private Node variable(Node v) {
    INDArray value = model.params().get(v.name());
    Optional<String> p = v.attrs().raw(PRECISION);
    if (p.isEmpty()) {
      throw new MrtException("variable " + v.name() + ": no '" + PRECISION + "' attribute; the quantize stage "
          + "gives every variable of the integer graph a precision");
    }
    int prec = Attrs.parseInt(PRECISION, p.get());
    if (prec < 1 || prec > 32) {
      throw new MrtException("variable " + v.name() + ": precision must be in [1, 32], found " + prec);
    }
    Node node = Node.variable(unique(v.name()), Attrs.of(PRECISION, Integer.toString(prec)));
    if (value == null) {
      if (!"data".equals(v.name())) {
        throw new MrtException("variable " + v.name() + ": the CVM has one input, named data; this variable has no "
            + "value in the params (expected a parameter or the input 'data')");
      }
      types.put(node, new Typed(List.of(inputShape.clone()), new int[] {prec}));
    } else {
      addParam(node, value, prec);
    }
    return node;
  }

  private void addParam(Node node, INDArray value, int prec) {
    long[] shape = value.shape();
    if (shape.length == 0) {
      shape = new long[] {1};
    }
    INDArray flat = value.castTo(DataType.DOUBLE).reshape(value.length());
    int[] ints = new int[(int) value.length()];
    long bound = (1L << (prec - 1)) - 1;
    for (int i = 0; i < ints.length; i++) {
      double d = flat.getDouble(i);
      if (d != Math.rint(d) || Math.abs(d) > Integer.MAX_VALUE) {
        throw new MrtException("parameter " + node.name() + ": value " + d + " at index " + i
            + " is not an integer within int32; the quantize stage must write integer parameters");
      }
      if (Math.abs(d) > bound) {
        throw new MrtException("parameter " + node.name() + ": value " + (long) d + " at index " + i
            + " exceeds its precision " + prec + " (|v| <= " + bound + ")");
      }
      ints[i] = (int) d;
    }
    paramValues.put(node, ints);
    paramPrecision.put(node, prec);
    types.put(node, new Typed(List.of(shape), new int[] {prec}));
  }

  private long[] shape(Entry e) {
    Typed t = types.get(e.node());
    if (t == null) {
      throw new IllegalStateException("entry " + e + " was not emitted by this compiler");
    }
    return t.shapes().get(e.index());
  }

  private int precision(Entry e) {
    return types.get(e.node()).precisions()[e.index()];
  }

  /** The context given to lowerToCvm hooks. */
  private final class Context implements LowerContext {
    private final Node node;
    private final List<Entry> inputs;
    private final Attrs attrs;

    Context(Node node, List<Entry> inputs) {
      this.node = node;
      this.inputs = List.copyOf(inputs);
      this.attrs = ops.attrsOf(node);
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
      return Shape.of(shape(e));
    }

    @Override
    public int precisionOf(Entry e) {
      shape(e); // fails for an entry this compiler did not emit
      return precision(e);
    }

    @Override
    public Optional<INDArray> paramValue(Entry e) {
      int[] v = paramValues.get(e.node());
      if (v == null) {
        return Optional.empty();
      }
      double[] d = new double[v.length];
      for (int i = 0; i < v.length; i++) {
        d[i] = v[i];
      }
      return Optional.of(org.nd4j.linalg.factory.Nd4j.create(d, shape(e), DataType.DOUBLE));
    }

    @Override
    public Entry emit(String cvmOp, Attrs opAttrs, Entry... in) {
      if (!CvmInference.isOperator(cvmOp)) {
        throw error("lowerToCvm emitted '" + cvmOp + "', which is not a CVM operator");
      }
      if ("cvm_left_shift".equals(cvmOp)) {
        throw error("lowerToCvm emitted cvm_left_shift, which the reference CPU runtime cannot run; "
            + "requantize with a multiply and a right shift instead");
      }
      List<String> declared = ops.resolve(node).descriptor().emits();
      if (!declared.contains(cvmOp)) {
        throw error("lowerToCvm emitted '" + cvmOp + "', which the op does not declare in @MrtOp(emits = "
            + declared + ")");
      }
      List<long[]> shapes = new ArrayList<>();
      int[] precs = new int[in.length];
      for (int i = 0; i < in.length; i++) {
        shapes.add(shape(in[i]));
        precs[i] = precision(in[i]);
      }
      int k = opCounters.merge(cvmOp, 1, Integer::sum) - 1;
      String name = unique(cvmOp + "_" + k);
      CvmInference.NodeTypes t = CvmInference.infer("node " + name + " (" + cvmOp + ", lowered from " + node.name() + ")", cvmOp,
          opAttrs.asMap(), shapes, precs);
      Node emitted = new Node(cvmOp, name, opAttrs, List.of(in), t.shapes().size());
      types.put(emitted, new Typed(t.shapes(), t.precisions()));
      return emitted.out();
    }

    @Override
    public Entry param(String nameHint, INDArray value, int precision) {
      Node p = Node.variable(unique(nameHint), Attrs.of(PRECISION, Integer.toString(precision)));
      addParam(p, value, precision);
      return p.out();
    }
  }

  private CvmModel build(Graph g) {
    CvmGraphBuilder b = new CvmGraphBuilder();
    Map<Node, Integer> id = new IdentityHashMap<>();
    boolean hasData = false;
    for (Node n : g.nodes()) {
      Typed t = types.get(n);
      if (n.isVariable()) {
        int[] v = paramValues.get(n);
        if (v == null) {
          hasData = true;
          id.put(n, b.input(n.name(), t.shapes().get(0), t.precisions()[0]));
        } else {
          id.put(n, b.param(n.name(), CvmTensor.forPrecision(t.shapes().get(0), v, paramPrecision.get(n)),
              t.precisions()[0]));
        }
      } else {
        List<CvmEntryRef> ins = new ArrayList<>();
        for (Entry e : n.inputs()) {
          ins.add(CvmEntryRef.of(id.get(e.node()), e.index()));
        }
        id.put(n, b.op(n.name(), n.op(), json(n.attrs().asMap()), t.shapes(), ins));
      }
    }
    if (!hasData) {
      throw new MrtException("the compiled graph does not read the input 'data' (every head is a constant)");
    }
    for (Entry h : g.heads()) {
      b.head(id.get(h.node()), h.index());
    }
    CvmModel compiled = b.build(storage);
    CvmExecutor.load(compiled, "compiled model");
    return compiled;
  }

  private static String json(Map<String, String> attrs) {
    try {
      return JSON.writeValueAsString(attrs);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
