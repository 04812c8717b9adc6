package io.mrt.runtime.pass;

import io.mrt.api.graph.Attrs;
import io.mrt.api.graph.Entry;
import io.mrt.api.graph.Graph;
import io.mrt.api.graph.Model;
import io.mrt.api.graph.Node;
import io.mrt.api.graph.Shape;
import io.mrt.api.hook.RewriteContext;
import io.mrt.runtime.MrtException;
import io.mrt.runtime.registry.OpTable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Rebuilds a graph node by node, MRT's {@code topo_visit_transformer}: nodes are visited in
 * topological order; each visit sees the node's inputs already transformed and returns the entries
 * that replace its outputs. A node whose inputs did not change and that is kept stays the same
 * object. New nodes get unique names (the hint, else {@code hint_1}, {@code hint_2}, ...), new
 * parameters are added to the model, and shapes are inferred on demand for
 * {@link RewriteContext#shapeOf}. Nodes that no output depends on any more drop out of the graph;
 * parameters stay until parameter unification.
 */
public final class GraphTransformer {
  /** What a pass does with one node. */
  @FunctionalInterface
  public interface NodeVisitor {
    /** The entries that replace the node's outputs, one per output. */
    List<Entry> visit(Step step);
  }

  private final Model source;
  private final OpTable ops;
  private final Map<Node, List<Entry>> mapped = new IdentityHashMap<>();
  private final Map<String, INDArray> params;
  private final Map<String, Integer> pendingNames = new HashMap<>();
  private final Set<String> createdNames = new HashSet<>();
  private final Map<Entry, Integer> oldReaders = new HashMap<>();
  private final Map<Entry, List<Entry>> newToOld = new HashMap<>();
  private final Map<Entry, Integer> newReaders = new HashMap<>();
  private final ShapeMap shapes;

  private GraphTransformer(Model source, OpTable ops, Map<String, Shape> inputShapes) {
    this.source = source;
    this.ops = ops;
    this.params = new LinkedHashMap<>(source.params());
    this.shapes = new ShapeMap(ops, params::get, inputShapes);
    for (Node n : source.graph().nodes()) {
      pendingNames.merge(n.name(), 1, Integer::sum);
      for (Entry e : n.inputs()) {
        oldReaders.merge(e, 1, Integer::sum);
      }
    }
    for (Entry h : source.graph().heads()) {
      oldReaders.merge(h, 1, Integer::sum);
    }
  }

  /** Transforms {@code model}; inputs take their shapes from their {@code __shape__} attributes. */
  public static Model transform(Model model, OpTable ops, NodeVisitor visitor) {
    return transform(model, ops, Map.of(), visitor);
  }

  /** Transforms {@code model}; {@code inputShapes} gives input shapes by name. */
  public static Model transform(Model model, OpTable ops, Map<String, Shape> inputShapes, NodeVisitor visitor) {
    return new GraphTransformer(model, ops, inputShapes).run(visitor);
  }

  private Model run(NodeVisitor visitor) {
    for (Node old : source.graph().nodes()) {
      List<Entry> in = new ArrayList<>(old.inputs().size());
      boolean same = true;
      for (Entry e : old.inputs()) {
        Entry ne = mapped.get(e.node()).get(e.index());
        same &= ne.equals(e);
        in.add(ne);
      }
      pendingNames.merge(old.name(), -1, Integer::sum);
      Node self = same ? old : old.withInputs(in);
      Step step = new Step(old, self, in);
      List<Entry> out = visitor.visit(step);
      if (out == null || out.size() != old.numOutputs() || out.stream().anyMatch(java.util.Objects::isNull)) {
        throw new IllegalStateException("a pass visiting node " + old.name() + " (" + old.op() + ") returned "
            + out + ", expected " + old.numOutputs() + " entries");
      }
      if (out.stream().anyMatch(e -> e.node() == self)) {
        if (createdNames.contains(self.name()) && !step.keptSelf) {
          throw new IllegalStateException("a pass kept node " + self.name() + " but also created another node"
              + " with that name");
        }
        step.keep();
      }
      mapped.put(old, List.copyOf(out));
      for (int i = 0; i < out.size(); i++) {
        newToOld.computeIfAbsent(out.get(i), k -> new ArrayList<>()).add(new Entry(old, i));
      }
    }
    List<Entry> heads = new ArrayList<>();
    for (Entry h : source.graph().heads()) {
      heads.add(mapped.get(h.node()).get(h.index()));
    }
    return new Model(new Graph(heads), params);
  }

  private boolean taken(String name) {
    return pendingNames.getOrDefault(name, 0) > 0 || createdNames.contains(name) || params.containsKey(name);
  }

  private String unique(String hint) {
    String base = hint == null || hint.isBlank() ? "node" : hint;
    if (!taken(base)) {
      createdNames.add(base);
      return base;
    }
    for (int k = 1; ; k++) {
      String candidate = base + "_" + k;
      if (!taken(candidate)) {
        createdNames.add(candidate);
        return candidate;
      }
    }
  }

  private void countReaders(Node n) {
    for (Entry e : n.inputs()) {
      newReaders.merge(e, 1, Integer::sum);
    }
  }

  /**
   * The visit of one node: the {@link RewriteContext} that hooks receive, plus what passes need
   * beyond it (exactly named variables, parameters with attributes).
   */
  public final class Step implements RewriteContext {
    private final Node old;
    private final Node self;
    private final List<Entry> inputs;
    private Attrs attrs;
    private boolean keptSelf;

    private Step(Node old, Node self, List<Entry> inputs) {
      this.old = old;
      this.self = self;
      this.inputs = List.copyOf(inputs);
    }

    private void keep() {
      if (!keptSelf) {
        keptSelf = true;
        createdNames.add(self.name());
        countReaders(self);
      }
    }

    /** The node as it was in the source graph. */
    public Node original() {
      return old;
    }

    /** The model the pass started from. */
    public Model source() {
      return source;
    }

    /** The op table. */
    public OpTable ops() {
      return ops;
    }

    @Override
    public Node node() {
      return self;
    }

    @Override
    public Attrs attrs() {
      if (attrs == null) {
        attrs = self.isVariable() ? self.attrs() : ops.attrsOf(self);
      }
      return attrs;
    }

    @Override
    public List<Entry> inputs() {
      return inputs;
    }

    @Override
    public List<Entry> unchanged() {
      keep();
      List<Entry> out = new ArrayList<>();
      for (int i = 0; i < self.numOutputs(); i++) {
        out.add(self.out(i));
      }
      return out;
    }

    @Override
    public Node op(String op, String nameHint, Attrs attrs, Entry... in) {
      Node n = Node.op(Objects.requireNonNull(op, "op"), unique(nameHint), attrs, in);
      countReaders(n);
      return n;
    }

    /** A new op node with several outputs. */
    public Node op(String op, String nameHint, Attrs attrs, int numOutputs, List<Entry> in) {
      Node n = new Node(op, unique(nameHint), attrs, in, numOutputs);
      countReaders(n);
      return n;
    }

    @Override
    public Node param(String nameHint, INDArray value) {
      return param(nameHint, value, Attrs.empty());
    }

    /** A new parameter variable with attributes (e.g. {@code precision}). */
    public Node param(String nameHint, INDArray value, Attrs varAttrs) {
      Node n = Node.variable(unique(nameHint), varAttrs);
      params.put(n.name(), Objects.requireNonNull(value, "value"));
      return n;
    }

    /**
     * A variable with exactly this name (an input or a parameter already in the model); it is
     * an error if another node of the new graph already has the name.
     */
    public Node variable(String name, Attrs varAttrs) {
      if (createdNames.contains(name) || pendingNames.getOrDefault(name, 0) > 0) {
        throw new MrtException("cannot name a variable '" + name + "': another node already has that name");
      }
      createdNames.add(name);
      return Node.variable(name, varAttrs);
    }

    /** Whether the entry is an input: a variable without a value. */
    public boolean isInput(Entry e) {
      return e.node().isVariable() && !params.containsKey(e.node().name());
    }

    @Override
    public Shape shapeOf(Entry e) {
      return shapes.of(e);
    }

    @Override
    public Optional<INDArray> paramValue(Entry e) {
      return e.node().isVariable() ? Optional.ofNullable(params.get(e.node().name())) : Optional.empty();
    }

    @Override
    public int consumers(Entry e) {
      List<Entry> olds = newToOld.get(e);
      if (olds == null) {
        return newReaders.getOrDefault(e, 0);
      }
      int n = 0;
      for (Entry o : olds) {
        n += oldReaders.getOrDefault(o, 0);
      }
      return n;
    }

    @Override
    public String toString() {
      return "visit of " + old.name() + " (" + old.op() + ") with inputs " + Arrays.toString(inputs.toArray());
    }
  }
}
