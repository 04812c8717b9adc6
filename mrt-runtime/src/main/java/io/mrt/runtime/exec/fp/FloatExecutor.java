package io.mrt.runtime.exec.fp;

import io.mrt.api.graph.AttrException;
import io.mrt.api.graph.Attrs;
import io.mrt.api.graph.Entry;
import io.mrt.api.graph.Model;
import io.mrt.api.graph.Node;
import io.mrt.api.hook.ForwardHook;
import io.mrt.api.hook.OpException;
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
 * An executor is immutable and may be shared; each run has its own state.
 */
public final class FloatExecutor {
  private static final Logger LOG = LoggerFactory.getLogger(FloatExecutor.class);

  private final Model model;
  private final List<Step> steps;
  private final Map<Node, INDArray> params;
  private final List<Node> inputs;

  /** One op node, resolved. */
  private record Step(Node node, Attrs attrs, ForwardHook hook) {}

  /** An executor of {@code model} with the class-path ops. */
  public FloatExecutor(Model model) {
    this(model, OpTable.load());
  }

  /** An executor of {@code model} with the given op table. */
  public FloatExecutor(Model model, OpTable ops) {
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
      Optional<ForwardHook> hook = ops.forward(n);
      if (hook.isEmpty()) {
        throw new MrtException("node " + n.name() + " (" + n.op() + "): the op has no forward hook, so the float "
            + "executor cannot run it");
      }
      s.add(new Step(n, ops.attrsOf(n), hook.get()));
    }
    this.steps = List.copyOf(s);
  }

  /** The model. */
  public Model model() {
    return model;
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
    Map<Entry, Integer> readers = free ? readerCounts() : Map.of();
    Map<Node, List<INDArray>> all = keepAll ? new LinkedHashMap<>() : null;
    if (keepAll) {
      for (Node n : model.graph().nodes()) {
        if (n.isVariable()) {
          all.put(n, List.of(values.get(n.out())));
        }
      }
    }
    Map<Entry, Integer> remaining = free ? new java.util.HashMap<>(readers) : null;
    for (Step s : steps) {
      Node n = s.node();
      List<INDArray> in = new ArrayList<>(n.inputs().size());
      for (Entry e : n.inputs()) {
        in.add(values.get(e));
      }
      List<INDArray> out = forward(s, in);
      if (observer != null) {
        observer.observe(n, Collections.unmodifiableList(in), Collections.unmodifiableList(out));
      }
      if (keepAll) {
        all.put(n, List.copyOf(out.subList(0, n.numOutputs())));
      }
      for (int i = 0; i < n.numOutputs(); i++) {
        values.put(n.out(i), out.get(i));
      }
      if (!free) {
        continue;
      }
      boolean aliases = false;
      for (INDArray o : out) {
        aliases |= o.isView() || in.stream().anyMatch(x -> x == o);
      }
      if (aliases) {
        pinned.addAll(in);
      }
      // free what no later node reads
      for (Entry e : n.inputs()) {
        int left = remaining.merge(e, -1, Integer::sum);
        if (left == 0) {
          release(values.remove(e), pinned, values);
        }
      }
      for (int i = 0; i < out.size(); i++) {
        if (i >= n.numOutputs() || !readers.containsKey(n.out(i))) {
          release(i < n.numOutputs() ? values.remove(n.out(i)) : out.get(i), pinned, values);
        }
      }
    }
    List<INDArray> heads = new ArrayList<>();
    for (Entry h : model.graph().heads()) {
      heads.add(values.get(h));
    }
    return new Result(Collections.unmodifiableList(heads), all == null ? null : Collections.unmodifiableMap(all));
  }

  /** How many times each entry is read by op nodes; graph outputs count as one extra reader. */
  private Map<Entry, Integer> readerCounts() {
    Map<Entry, Integer> r = new java.util.HashMap<>();
    for (Step s : steps) {
      for (Entry e : s.node().inputs()) {
        r.merge(e, 1, Integer::sum);
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

  private static List<INDArray> forward(Step s, List<INDArray> in) {
    Node n = s.node();
    List<INDArray> out;
    try {
      out = s.hook().forward(new HookContexts.Forward(n, s.attrs(), Collections.unmodifiableList(in)));
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
