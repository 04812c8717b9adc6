package io.mrt.runtime.exec.fp;

import io.mrt.api.graph.AttrException;
import io.mrt.api.graph.Attrs;
import io.mrt.api.graph.Entry;
import io.mrt.api.graph.Model;
import io.mrt.api.graph.Node;
import io.mrt.api.hook.ForwardHook;
import io.mrt.api.hook.OpException;
import io.mrt.api.registry.HookType;
import io.mrt.runtime.MrtException;
import io.mrt.runtime.registry.OpFailure;
import io.mrt.runtime.registry.OpTable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@link Model} in float32 on ND4J, op by op in topological order, through the ops'
 * {@code forward} hooks found in the {@link OpTable}. Parameters are converted to float32 once,
 * when the executor is built; every op node is resolved then too, so a node without an
 * implementation or without a forward hook fails before any data is touched.
 *
 * <p>{@link #run} returns the graph outputs and frees each intermediate array as soon as its
 * last reader has run; {@link #runAll} keeps and returns every node's outputs;
 * {@link #run(Map, NodeObserver)} shows every node's inputs and outputs to an observer (during the
 * call only) and frees them as {@link #run} does.
 *
 * <p>Without an observer, {@link #run} computes the same outputs with less work: a built-in
 * {@code BatchNorm} (axis 1, parameters as inputs) whose input is a built-in {@code Convolution}'s
 * output read by nothing else is folded into that convolution's weights and bias (computed in
 * double once, on the first such run). A hook may write its result into an input that nothing
 * reads afterwards ({@link io.mrt.api.hook.ForwardContext#mayOverwrite}), also in an observed run
 * when the observer does not read that node's inputs ({@link NodeObserver#readsInputs}). Between
 * built-in convolutions, {@code relu}, {@code elemwise_add} and {@code clip}, a plain run lets
 * activations stay NCHW-shaped views of NHWC buffers, the layout oneDNN's convolution works in
 * ({@link io.mrt.api.hook.ForwardContext#mayKeepLayout}); graph outputs and every other reader get
 * row-major arrays with the same values. The observed run and {@link #runAll} run every node as
 * the graph states it (nothing folds, so every node's output is shown); {@link #runAll} gives
 * row-major arrays, and the observed run keeps NHWC activations as a plain run does wherever the
 * observer reads the producing node's outputs, and every reading node's inputs, in any layout
 * ({@link NodeObserver#readsAnyLayout}).
 * An executor is immutable and may be shared; each run has its own state.
 *
 * <p>Building an executor keeps the native memory freed between ops in the process for reuse
 * (glibc's malloc thresholds, once per process: {@link NativeMemory}), so that runs do not
 * page-fault fresh memory for every op's output.
 */
public final class FloatExecutor {
  private static final Logger LOG = LoggerFactory.getLogger(FloatExecutor.class);

  private final Model model;
  private final List<Step> steps;
  private final Map<Node, INDArray> params;
  private final List<Node> inputs;
  /** The BatchNorm nodes that may fold into the Convolution feeding them, by the Convolution. */
  private final Map<Node, Node> foldable;
  /** {@link #steps} with {@link #foldable} folded: built on the first plain run. */
  private volatile Plan plain;

  /**
   * One op node, resolved: the hook reads {@code inputs} (an entry, or at a {@code null} entry
   * the constant of the same position) and its outputs are stored under {@code outputs}.
   */
  private record Step(Node node, Attrs attrs, ForwardHook hook, List<Entry> inputs, List<INDArray> constants,
      List<Entry> outputs, boolean anyLayout) {
    static Step of(Node n, Attrs attrs, ForwardHook hook, boolean anyLayout) {
      List<Entry> outs = new ArrayList<>();
      for (int i = 0; i < n.numOutputs(); i++) {
        outs.add(n.out(i));
      }
      return new Step(n, attrs, hook, n.inputs(), Collections.nCopies(n.inputs().size(), null), List.copyOf(outs),
          anyLayout);
    }
  }

  /**
   * The built-in ops whose forward reads inputs of any dense layout (an NCHW-shaped view of an NHWC
   * buffer included) with the same bits, and gives outputs of such a layout only from such inputs
   * or when {@link io.mrt.api.hook.ForwardContext#mayKeepLayout} allows it.
   */
  private static final Set<String> ANY_LAYOUT = Set.of("io.mrt.ops.Convolution", "io.mrt.ops.Relu",
      "io.mrt.ops.ElemwiseAdd", "io.mrt.ops.Clip");

  /**
   * Steps, how many times each entry is read by them (graph outputs count as one more reader), and
   * the entries that may hold a non-row-major array: read only by {@link Step#anyLayout} steps and
   * not graph outputs (empty but in plain runs).
   */
  private record Plan(List<Step> steps, Map<Entry, Integer> readers, Set<Entry> keepLayout) {}

  /** An executor of {@code model} with the class-path ops. */
  public FloatExecutor(Model model) {
    this(model, OpTable.load());
  }

  /** An executor of {@code model} with the given op table. */
  public FloatExecutor(Model model, OpTable ops) {
    NativeMemory.retainFreedMemory();
    this.model = model;
    List<Node> nodes = model.graph().nodes();
    Map<Node, INDArray> p = new IdentityHashMap<>();
    List<Node> in = new ArrayList<>();
    for (Node n : nodes) {
      if (!n.isVariable()) {
        continue;
      }
      INDArray v = model.params().get(n.name());
      if (v == null) {
        in.add(n);
      } else {
        p.put(n, v.dataType() == DataType.FLOAT ? v : v.castTo(DataType.FLOAT));
      }
    }
    this.params = p;
    this.inputs = List.copyOf(in);
    List<Step> s = new ArrayList<>();
    for (Node n : nodes) {
      if (n.isVariable()) {
        continue;
      }
      Optional<ForwardHook> hook = ops.hook(HookType.FORWARD, n);
      if (hook.isEmpty()) {
        throw new MrtException("node " + n.name() + " (" + n.op() + "): the op has no forward hook, so the float "
            + "executor cannot run it");
      }
      // a grouped convolution other than a depthwise one (one input channel per group: weights
      // [C·m, 1, kh, kw]) copies an NHWC input to row-major: its producers give row-major arrays
      boolean anyLayout = ops.hookClass(HookType.FORWARD, n).filter(ANY_LAYOUT::contains).isPresent()
          && !(n.op().equals("Convolution") && ops.attrsOf(n).getInt("num_group", 1) != 1 && !depthwise(n));
      s.add(Step.of(n, ops.attrsOf(n), hook.get(), anyLayout));
    }
    this.steps = List.copyOf(s);
    this.foldable = foldable(ops);
  }

  /** True when the convolution's weights are a 4-D parameter with one input channel per group. */
  private boolean depthwise(Node conv) {
    if (conv.inputs().size() < 2 || !isParam(conv.input(1))) {
      return false;
    }
    INDArray w = params.get(conv.input(1).node());
    return w.rank() == 4 && w.size(1) == 1;
  }

  /** Built-in BatchNorms that fold into the built-in Convolution before them, keyed by the Convolution. */
  private Map<Node, Node> foldable(OpTable ops) {
    Map<Entry, Integer> readers = readerCounts(steps);
    Map<Node, Node> f = new IdentityHashMap<>();
    for (Step s : steps) {
      Node bn = s.node();
      if (!bn.op().equals("BatchNorm") || !builtin(ops, bn, "BatchNorm") || bn.numOutputs() != 1
          || bn.inputs().size() != 5 || s.attrs().getBool("output_mean_var", false) || s.attrs().getInt("axis", 1) != 1) {
        continue;
      }
      Entry x = bn.input(0);
      Node conv = x.node();
      if (!conv.op().equals("Convolution") || !builtin(ops, conv, "Convolution") || conv.numOutputs() != 1
          || readers.getOrDefault(x, 0) != 1 || model.graph().heads().contains(x)) {
        continue;
      }
      boolean constant = bn.inputs().subList(1, 5).stream().allMatch(this::isParam)
          && conv.inputs().subList(1, conv.inputs().size()).stream().allMatch(this::isParam);
      if (!constant || conv.inputs().size() < 2) {
        continue;
      }
      long c = params.get(conv.input(1).node()).size(0);
      boolean shapes = bn.inputs().subList(1, 5).stream().allMatch(e -> {
        INDArray v = params.get(e.node());
        return v.rank() == 1 && v.length() == c;
      });
      if (shapes) {
        f.put(conv, bn);
      }
    }
    return f;
  }

  private boolean isParam(Entry e) {
    return e.index() == 0 && params.containsKey(e.node());
  }

  /** True when the node's op is the built-in class {@code io.mrt.ops.NAME} (not a plugin's). */
  private static boolean builtin(OpTable ops, Node n, String name) {
    return ops.hookClass(HookType.FORWARD, n).filter(c -> c.equals("io.mrt.ops." + name)).isPresent();
  }

  /** The steps of a plain run: every foldable BatchNorm folded into its Convolution. */
  private Plan plainPlan() {
    Plan p = plain;
    if (p == null) {
      synchronized (this) {
        p = plain;
        if (p == null) {
          List<Step> out = new ArrayList<>();
          Set<Node> folded = Collections.newSetFromMap(new IdentityHashMap<>());
          folded.addAll(foldable.values());
          for (Step s : steps) {
            if (folded.contains(s.node())) {
              continue;
            }
            Node bn = foldable.get(s.node());
            out.add(bn == null ? s : fold(s, bn, steps.stream().filter(t -> t.node() == bn).findFirst().orElseThrow()));
          }
          p = new Plan(List.copyOf(out), readerCounts(out), keepLayout(out));
          plain = p;
        }
      }
    }
    return p;
  }

  /**
   * The convolution {@code conv} followed by the BatchNorm {@code bn} as one convolution: with
   * {@code s = gamma / sqrt(var + eps)} (gamma = 1 under fix_gamma), weights {@code W·s} per output
   * channel and bias {@code (b - mean)·s + beta}, computed in double and rounded to float32 once.
   */
  private Step fold(Step conv, Node bn, Step bnStep) {
    Node c = conv.node();
    Attrs a = bnStep.attrs();
    double eps = a.getDouble("eps");
    boolean fixGamma = a.getBool("fix_gamma");
    INDArray w = params.get(c.input(1).node());
    long o = w.size(0);
    double[] gamma = doubles(params.get(bn.input(1).node()));
    double[] beta = doubles(params.get(bn.input(2).node()));
    double[] mean = doubles(params.get(bn.input(3).node()));
    double[] var = doubles(params.get(bn.input(4).node()));
    boolean hasBias = !conv.attrs().getBool("no_bias") && c.inputs().size() > 2;
    double[] b = hasBias ? doubles(params.get(c.input(2).node())) : new double[(int) o];
    double[] wv = doubles(w);
    int per = (int) (wv.length / o);
    float[] wf = new float[wv.length];
    float[] bf = new float[(int) o];
    for (int k = 0; k < o; k++) {
      double scale = (fixGamma ? 1.0 : gamma[k]) / Math.sqrt(var[k] + eps);
      for (int j = 0; j < per; j++) {
        wf[k * per + j] = (float) (wv[k * per + j] * scale);
      }
      bf[k] = (float) ((b[k] - mean[k]) * scale + beta[k]);
    }
    INDArray fw = Nd4j.create(wf, w.shape(), 'c');
    INDArray fb = Nd4j.create(bf, new long[] {o}, 'c');
    List<INDArray> constants = new ArrayList<>(Collections.nCopies(3, (INDArray) null));
    constants.set(1, fw);
    constants.set(2, fb);
    List<Entry> in = new ArrayList<>(Collections.nCopies(3, (Entry) null));
    in.set(0, c.input(0));
    return new Step(c, conv.attrs().with("no_bias", "False"), conv.hook(), Collections.unmodifiableList(in),
        Collections.unmodifiableList(constants), List.of(bn.out(0)), conv.anyLayout());
  }

  /** The outputs of {@code plan}'s steps read only by steps that read any layout, and not graph outputs. */
  private Set<Entry> keepLayout(List<Step> plan) {
    Set<Entry> blocked = new java.util.HashSet<>(model.graph().heads());
    Set<Entry> read = new java.util.HashSet<>();
    for (Step s : plan) {
      for (Entry e : s.inputs()) {
        if (e != null) {
          (s.anyLayout() ? read : blocked).add(e);
        }
      }
    }
    Set<Entry> keep = new java.util.HashSet<>();
    for (Step s : plan) {
      for (Entry e : s.outputs()) {
        if (read.contains(e) && !blocked.contains(e)) {
          keep.add(e);
        }
      }
    }
    return Set.copyOf(keep);
  }

  /**
   * The entries an observed run may keep NHWC: those a plain run of the unfolded steps would keep,
   * whose producer's outputs the observer reads in any layout, and whose readers' inputs the
   * observer either does not read or reads in any layout.
   */
  private Set<Entry> observedKeepLayout(NodeObserver observer) {
    Set<Entry> keep = new java.util.HashSet<>(keepLayout(steps));
    if (keep.isEmpty()) {
      return Set.of();
    }
    for (Step s : steps) {
      if (!observer.readsAnyLayout(s.node())) {
        s.outputs().forEach(keep::remove);
        if (observer.readsInputs(s.node())) {
          s.inputs().forEach(keep::remove);
        }
      }
    }
    return keep;
  }

  /** True when the strides are row-major (dimensions of size 1 aside), whatever the offset. */
  static boolean rowMajor(INDArray a) {
    long[] shape = a.shape();
    long[] stride = a.stride();
    long expected = 1;
    for (int d = shape.length - 1; d >= 0; d--) {
      if (shape[d] != 1 && stride[d] != expected) {
        return false;
      }
      expected *= shape[d];
    }
    return true;
  }

  private static double[] doubles(INDArray v) {
    return v.dup('c').castTo(DataType.DOUBLE).data().asDouble();
  }

  /** The model. */
  public Model model() {
    return model;
  }

  /** How many hook calls a run without an observer makes (after folding). */
  int plainStepCount() {
    return plainPlan().steps().size();
  }

  /** The input variables (variables without a parameter value), in graph order. */
  public List<Node> inputs() {
    return inputs;
  }

  /** Runs a single-input model on {@code data} and returns the graph outputs. */
  public List<INDArray> run(INDArray data) {
    if (inputs.size() != 1) {
      throw new MrtException("the model has " + inputs.size() + " inputs " + names(inputs) + "; feed them by name");
    }
    return run(Map.of(inputs.get(0).name(), data));
  }

  /** Runs the model and returns the graph outputs; intermediate arrays are freed early. */
  public List<INDArray> run(Map<String, INDArray> feed) {
    return execute(feed, null, false).heads;
  }

  /**
   * Runs the model, showing every op node's inputs and outputs to {@code observer}; intermediate
   * arrays are freed after their last reader, so the observer copies what must outlive its call.
   */
  public List<INDArray> run(Map<String, INDArray> feed, NodeObserver observer) {
    return execute(feed, observer, false).heads;
  }

  /** Runs the model and returns the outputs of every node (variables included), in graph order. */
  public Map<Node, List<INDArray>> runAll(Map<String, INDArray> feed) {
    return execute(feed, null, true).all;
  }

  private record Result(List<INDArray> heads, Map<Node, List<INDArray>> all) {}

  private Result execute(Map<String, INDArray> feed, NodeObserver observer, boolean keepAll) {
    Map<Entry, INDArray> values = new LinkedHashMap<>();
    // arrays the executor must never free: inputs, parameters, graph outputs, and (when an op
    // aliased or viewed its input) everything upstream of an alias
    Set<INDArray> pinned = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Node n : inputs) {
      INDArray v = feed.get(n.name());
      if (v == null) {
        throw new MrtException("input " + n.name() + " was not fed (the model's inputs: " + names(inputs) + ")");
      }
      INDArray f = v.dataType() == DataType.FLOAT ? v : v.castTo(DataType.FLOAT);
      pinned.add(v);
      pinned.add(f);
      values.put(n.out(), f);
    }
    for (String name : feed.keySet()) {
      if (inputs.stream().noneMatch(n -> n.name().equals(name))) {
        throw new MrtException("'" + name + "' is not an input of the model (its inputs: " + names(inputs) + ")");
      }
    }
    params.forEach((n, v) -> {
      values.put(n.out(), v);
      pinned.add(v);
    });
    // an observer reads the arrays during its call (NodeObserver's contract), so they are freed
    // after their last reader with or without one: calibration holds one node's values at a time
    boolean free = !keepAll;
    // without an observer, foldable BatchNorms fold; hooks may overwrite inputs read for the last
    // time unless an observer reads the node's inputs
    boolean plainRun = free && observer == null;
    Plan plan = plainRun ? plainPlan()
        : new Plan(steps, free ? readerCounts(steps) : Map.of(), free ? observedKeepLayout(observer) : Set.of());
    Map<Entry, Integer> readers = plan.readers();
    Map<Node, List<INDArray>> all = keepAll ? new LinkedHashMap<>() : null;
    if (keepAll) {
      for (Node n : model.graph().nodes()) {
        if (n.isVariable()) {
          all.put(n, List.of(values.get(n.out())));
        }
      }
    }
    Map<Entry, Integer> remaining = free ? new java.util.HashMap<>(readers) : null;
    for (Step s : plan.steps()) {
      Node n = s.node();
      int arity = s.inputs().size();
      List<INDArray> in = new ArrayList<>(arity);
      for (int i = 0; i < arity; i++) {
        Entry e = s.inputs().get(i);
        in.add(e == null ? s.constants().get(i) : values.get(e));
      }
      boolean[] overwritable = free && (observer == null || !observer.readsInputs(n))
          ? overwritable(s, in, remaining, pinned, values) : null;
      boolean keepLayout = !plan.keepLayout().isEmpty() && s.anyLayout()
          && plan.keepLayout().containsAll(s.outputs());
      List<INDArray> out = forward(s, in, overwritable, keepLayout);
      NativeMemory.checkResident();
      if (s.anyLayout() && (plainRun || !plan.keepLayout().isEmpty())) {
        rowMajorUnlessKept(s, in, out, plan.keepLayout());
      }
      if (observer != null) {
        observer.observe(n, Collections.unmodifiableList(in), Collections.unmodifiableList(out));
      }
      if (keepAll) {
        all.put(n, List.copyOf(out.subList(0, n.numOutputs())));
      }
      for (int i = 0; i < s.outputs().size(); i++) {
        values.put(s.outputs().get(i), out.get(i));
      }
      if (!free) {
        continue;
      }
      boolean aliases = false;
      for (int j = 0; j < out.size(); j++) {
        INDArray o = out.get(j);
        boolean overwritten = overwritable != null && j < s.outputs().size()
            && java.util.stream.IntStream.range(0, arity).anyMatch(i -> overwritable[i] && in.get(i) == o);
        if (overwritten) {
          // the hook wrote its result into an input nothing else reads: the value moves to the output's entry
          for (int i = 0; i < arity; i++) {
            if (in.get(i) == o && s.inputs().get(i) != null) {
              values.remove(s.inputs().get(i));
            }
          }
          continue;
        }
        aliases |= o.isView() || in.stream().anyMatch(x -> x == o);
      }
      if (aliases) {
        pinned.addAll(in);
      }
      // free what no later node reads
      for (Entry e : s.inputs()) {
        if (e == null) {
          continue;
        }
        int left = remaining.merge(e, -1, Integer::sum);
        if (left == 0) {
          release(values.remove(e), pinned, values);
        }
      }
      for (int i = 0; i < out.size(); i++) {
        if (i >= s.outputs().size() || !readers.containsKey(s.outputs().get(i))) {
          release(i < s.outputs().size() ? values.remove(s.outputs().get(i)) : out.get(i), pinned, values);
        }
      }
    }
    List<INDArray> heads = new ArrayList<>();
    for (Entry h : model.graph().heads()) {
      heads.add(values.get(h));
    }
    return new Result(Collections.unmodifiableList(heads), all == null ? null : Collections.unmodifiableMap(all));
  }

  /**
   * Which inputs of {@code s} nothing reads after it: this is their last reader, they are not
   * pinned (inputs, parameters, constants, aliased arrays) nor views, and no other live entry or
   * other input position holds the same array.
   */
  private static boolean[] overwritable(Step s, List<INDArray> in, Map<Entry, Integer> remaining,
      Set<INDArray> pinned, Map<Entry, INDArray> values) {
    boolean[] w = new boolean[in.size()];
    for (int i = 0; i < in.size(); i++) {
      Entry e = s.inputs().get(i);
      INDArray a = in.get(i);
      if (e == null || a == null || remaining.getOrDefault(e, 0) != 1 || pinned.contains(a) || a.isView()
          || !a.closeable() || a.wasClosed() || a.dataType() != DataType.FLOAT) {
        continue;
      }
      boolean shared = false;
      for (int j = 0; j < in.size() && !shared; j++) {
        shared = j != i && in.get(j) == a;
      }
      for (Map.Entry<Entry, INDArray> v : values.entrySet()) {
        if (shared) {
          break;
        }
        shared = v.getValue() == a && !v.getKey().equals(e);
      }
      w[i] = !shared;
    }
    return w;
  }

  /** How many times each entry is read by the steps; graph outputs count as one extra reader. */
  private Map<Entry, Integer> readerCounts(List<Step> plan) {
    Map<Entry, Integer> r = new java.util.HashMap<>();
    for (Step s : plan) {
      for (Entry e : s.inputs()) {
        if (e != null) {
          r.merge(e, 1, Integer::sum);
        }
      }
    }
    for (Entry h : model.graph().heads()) {
      r.merge(h, 1, Integer::sum);
    }
    return r;
  }

  private static void release(INDArray a, Set<INDArray> pinned, Map<Entry, INDArray> live) {
    if (a == null || pinned.contains(a) || a.isView() || !a.closeable() || a.wasClosed()) {
      return;
    }
    for (INDArray v : live.values()) {
      if (v == a) {
        return;
      }
    }
    a.close();
  }

  /**
   * Replaces each output of {@code s} that is not row-major and may not keep its layout (a graph
   * output, or read by an op that needs row-major arrays) by a row-major copy, closing the
   * original unless it is an input of the step (then the input's release closes it).
   */
  private static void rowMajorUnlessKept(Step s, List<INDArray> in, List<INDArray> out, Set<Entry> keep) {
    for (int j = 0; j < out.size(); j++) {
      INDArray o = out.get(j);
      if ((j < s.outputs().size() && keep.contains(s.outputs().get(j))) || rowMajor(o)) {
        continue;
      }
      out.set(j, o.dup('c'));
      if (in.stream().noneMatch(x -> x == o) && !o.isView() && o.closeable()) {
        o.close();
      }
    }
  }

  private static List<INDArray> forward(Step s, List<INDArray> in, boolean[] overwritable, boolean keepLayout) {
    Node n = s.node();
    List<INDArray> out;
    try {
      out = s.hook().forward(new HookContexts.Forward(n, s.attrs(), Collections.unmodifiableList(in), overwritable,
          keepLayout));
    } catch (OpException | OpFailure e) {
      throw new MrtException(e.getMessage() + " (input shapes " + shapes(in) + ")", e);
    } catch (AttrException e) {
      throw new MrtException("node " + n.name() + " (" + n.op() + "): " + e.getMessage(), e);
    } catch (MrtException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new IllegalStateException("node " + n.name() + " (" + n.op() + "): forward failed on input shapes "
          + shapes(in) + ": " + e, e);
    }
    if (out == null || out.size() < n.numOutputs()) {
      throw new IllegalStateException("node " + n.name() + " (" + n.op() + "): forward gave "
          + (out == null ? 0 : out.size()) + " outputs, the graph uses " + n.numOutputs());
    }
    List<INDArray> checked = new ArrayList<>(out);
    for (int i = 0; i < checked.size(); i++) {
      INDArray o = checked.get(i);
      if (o == null) {
        throw new IllegalStateException("node " + n.name() + " (" + n.op() + "): forward gave no array for output " + i);
      }
      if (o.dataType() != DataType.FLOAT) {
        LOG.debug("node {} ({}) returned {} for output {}; converting to FLOAT", n.name(), n.op(), o.dataType(), i);
        checked.set(i, o.castTo(DataType.FLOAT));
      }
    }
    return checked;
  }

  private static String shapes(List<INDArray> in) {
    List<String> s = new ArrayList<>();
    for (INDArray a : in) {
      s.add(a == null ? "?" : io.mrt.api.graph.Shape.of(a.shape()).toString());
    }
    return s.toString();
  }

  private static String names(List<Node> ns) {
    return ns.stream().map(Node::name).toList().toString();
  }
}
