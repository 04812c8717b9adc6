package io.mrt.runtime.stage.quantize;

import io.mrt.api.graph.Attrs;
import io.mrt.api.graph.Entry;
import io.mrt.api.graph.Graph;
import io.mrt.api.graph.Model;
import io.mrt.api.graph.Node;
import io.mrt.api.graph.Shape;
import io.mrt.api.hook.OpContext;
import io.mrt.api.hook.OpException;
import io.mrt.api.hook.QuantMath;
import io.mrt.api.hook.QuantizeHook;
import io.mrt.api.hook.Quantized;
import io.mrt.api.registry.HookType;
import io.mrt.runtime.MrtException;
import io.mrt.runtime.registry.OpTable;
import io.mrt.runtime.registry.ResolvedOp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MRT V3's {@code quantize} pass ({@code tfm_pass.quantize}) on the IR: from a float graph with
 * calibrated thresholds to an integer graph.
 *
 * <p>In topological order: a parameter stays float until a consumer requantizes it; the input
 * gets scale {@code R(INPUT_PRECISION)/th} and attribute {@code precision}; an op listed in
 * RESTORE_NAMES stays float (its integer inputs divided by their scales, output scale 1,
 * precision {@code bitsOf(th)}); every other op goes through its {@code QuantizeHook}, and when the
 * hook's precision exceeds the tight precision {@code bitsOf(th * s)} a {@code cvm_clip} to it is
 * added. Then every output is requantized to OUTPUT_PRECISION with scale {@code R(p)/th}, the CVM
 * precision rules are applied ({@link PrecisionCheck}) and each node gets its {@code precision}
 * attribute.
 */
public final class QuantizePass {
  private static final Logger LOG = LoggerFactory.getLogger(QuantizePass.class);
  private final OpTable ops;

  /** A pass over the ops of {@code ops}. */
  public QuantizePass(OpTable ops) {
    this.ops = ops;
  }

  /**
   * Quantizes {@code model}.
   *
   * @param model the prepared float model
   * @param thresholds the calibrated threshold of every node (output 0), by node name
   * @param options the QUANTIZE options (THRESHOLDS overrides are applied here)
   * @param inputShapes the shapes of the inputs; an input missing here needs a {@code __shape__}
   *     attribute
   * @throws MrtException for a missing threshold, an op without a quantize hook, a hook that
   *     refuses its node, or a graph that breaks the CVM precision rules
   */
  public QuantizeResult run(Model model, Map<String, Double> thresholds, QuantizeOptions options,
      Map<String, Shape> inputShapes) {
    Graph graph = model.graph();
    Map<String, Double> th = withOverrides(graph, thresholds, options.thresholds());
    Set<String> restore = RestoreNames.expand(options.restoreNames(), graph, ops);
    Set<String> perChannel = RestoreNames.expand("QUANTIZE.CHANNEL_NAMES", options.channelNames(), graph, ops, false);
    boolean allPerChannel = QuantizeOptions.CHANNEL.equals(options.granularity());
    IntGraph g = new IntGraph(ops, model.params(), inputShapes);
    for (Node n : graph.nodes()) {
      g.reserve(n.name());
    }
    Requantizer rq = new Requantizer(g, options.shiftBits());
    Map<Node, Entry> mapped = new IdentityHashMap<>();
    Map<String, Integer> floatNodes = new LinkedHashMap<>();
    String inputName = null;
    double inputScale = 1;
    for (Node n : graph.nodes()) {
      double t = th.get(n.name());
      if (n.isVariable()) {
        if (model.isParam(n)) {
          g.describe(n.out(), new Info(1.0, QuantMath.bitsOf(t), t, Info.Kind.FLOAT_PARAM));
          mapped.put(n, n.out());
        } else {
          if (inputName != null) {
            throw new MrtException("the graph has several inputs (" + inputName + ", " + n.name()
                + "); the prepare stage fuses them into one 'data' input");
          }
          inputName = n.name();
          int p = options.inputPrecision();
          inputScale = QuantMath.scale(t, p);
          Node v = Node.variable(n.name(), n.attrs().with("precision", String.valueOf(p)));
          g.describe(v.out(), Info.integer(inputScale, p, t));
          mapped.put(n, v.out());
        }
        continue;
      }
      if (n.numOutputs() != 1) {
        throw new MrtException("node " + n.name() + " (" + n.op() + ") has " + n.numOutputs()
            + " outputs; the quantize stage takes single-output ops (prepare fuses SliceChannel)");
      }
      List<Entry> inputs = new ArrayList<>();
      for (Entry e : n.inputs()) {
        if (e.index() != 0) {
          throw new MrtException("node " + n.name() + " reads output " + e.index() + " of " + e.node().name()
              + "; the quantize stage takes single-output ops");
        }
        inputs.add(mapped.get(e.node()));
      }
      ResolvedOp op = ops.resolve(n);
      Entry out;
      if (restore.contains(n.name())) {
        out = restore(n, inputs, t, g, floatNodes);
      } else {
        QuantizeHook hook = ops.hook(HookType.QUANTIZE, n).orElseThrow(() -> new MrtException("node " + n.name() + " ("
            + n.op() + "): the op has no quantize hook (" + op.source().label() + "); restore it with "
            + "QUANTIZE.RESTORE_NAMES or provide the hook in a plugin"));
        NodeQuantizeContext ctx = new NodeQuantizeContext(n, inputs, t, op, g, rq, options.softmaxLambd(),
            allPerChannel || perChannel.contains(n.name()));
        Quantized q;
        try {
          q = hook.quantize(ctx);
        } catch (OpException ex) {
          throw new MrtException("quantize: " + ex.getMessage(), ex);
        }
        g.describe(q.output(), Info.integer(q.scale(), q.precision(), t));
        out = q.output();
        int tight = QuantMath.bitsOf(t * q.scale());
        if (q.precision() > tight) {
          out = rq.realize(ctx, out, 0, tight);
          g.describe(out, Info.integer(q.scale(), tight, t));
        }
      }
      mapped.put(n, out);
    }
    if (inputName == null) {
      throw new MrtException("the graph has no input variable (a variable that is not a parameter)");
    }

    List<Entry> heads = new ArrayList<>();
    List<String> oldNames = new ArrayList<>();
    for (Entry h : graph.heads()) {
      if (h.index() != 0) {
        throw new MrtException("output " + h + " is not output 0 of its node; the quantize stage takes single-output ops");
      }
      Entry e = mapped.get(h.node());
      Info info = g.info(e).orElseThrow();
      if (options.outputPrecision() > 0 && info.kind() == Info.Kind.INTEGER) {
        int p = options.outputPrecision();
        e = rq.requantOperator(headContext(h.node()), e, p, QuantMath.scale(info.threshold(), p)).output();
      }
      heads.add(e);
      oldNames.add(h.node().name());
    }
    Map<String, String> represents = new LinkedHashMap<>();
    mapped.forEach((n, e) -> {
      if (!n.isVariable() && e.index() == 0) {
        represents.put(n.name(), e.node().name());
      }
    });
    return finish(new Graph(heads), g, floatNodes, restore, oldNames, inputName, inputScale, options, inputShapes,
        represents);
  }

  private QuantizeResult finish(Graph graph, IntGraph g, Map<String, Integer> floatNodes, Set<String> restore,
      List<String> oldNames, String inputName, double inputScale, QuantizeOptions options, Map<String, Shape> inputShapes,
      Map<String, String> represents) {
    Set<String> seen = new HashSet<>();
    Map<String, INDArray> params = new LinkedHashMap<>();
    for (Node n : graph.nodes()) {
      if (!seen.add(n.name())) {
        throw new IllegalStateException("two nodes are named " + n.name() + " in the quantized graph");
      }
      if (n.isVariable()) {
        g.paramValue(n.out()).ifPresent(v -> params.put(n.name(), v));
        g.info(n.out()).filter(i -> i.kind() == Info.Kind.FLOAT_PARAM)
            .ifPresent(i -> floatNodes.put(n.name(), QuantMath.bitsOf(i.threshold())));
      }
    }
    Model raw = new Model(graph, params);
    Map<Entry, Integer> precs = new PrecisionCheck(ops).run(raw, inputShapes, floatNodes);

    // annotate every op node with its precision
    Map<Node, Node> rebuilt = new IdentityHashMap<>();
    Map<String, Double> thresholds = new LinkedHashMap<>();
    Map<String, Integer> precisions = new LinkedHashMap<>();
    Map<String, Double> scales = new LinkedHashMap<>();
    for (Node n : graph.nodes()) {
      List<Entry> ins = new ArrayList<>();
      for (Entry e : n.inputs()) {
        ins.add(new Entry(rebuilt.get(e.node()), e.index()));
      }
      int p = precs.get(n.out());
      Attrs attrs = n.attrs();
      if (!n.isVariable()) {
        attrs = attrs.with("precision", String.valueOf(p));
      }
      rebuilt.put(n, new Node(n.op(), n.name(), attrs, ins, n.numOutputs()));
      precisions.put(n.name(), p);
      g.info(n.out()).ifPresent(i -> {
        thresholds.put(n.name(), i.threshold());
        if (i.kind() != Info.Kind.FLOAT_PARAM) {
          scales.put(n.name(), i.scale());
        }
      });
    }
    List<Entry> heads = new ArrayList<>();
    List<Double> outputScales = new ArrayList<>();
    for (Entry h : graph.heads()) {
      heads.add(new Entry(rebuilt.get(h.node()), h.index()));
      outputScales.add(g.info(h).orElseThrow().scale());
    }
    if (!restore.isEmpty()) {
      LOG.warn("{} node(s) restored to float ({}): the quantized graph can be simulated but not compiled to the CVM",
          restore.size(), restore);
    }
    return new QuantizeResult(new Model(new Graph(heads), params), oldNames, thresholds, precisions, scales,
        outputScales, inputName, inputScale, options.inputPrecision(), restore, represents);
  }

  /** MRT's restore: integer inputs divided by their scales, the op kept float with scale 1. */
  private static Entry restore(Node n, List<Entry> inputs, double t, IntGraph g, Map<String, Integer> floatNodes) {
    List<Entry> ins = new ArrayList<>();
    for (Entry e : inputs) {
      Info i = g.info(e).orElseThrow();
      if (i.kind() == Info.Kind.INTEGER && i.scale() != 1) {
        Node d = g.op("_div_scalar", e.node().name() + "_dequant", Attrs.of("scalar", Double.toString(i.scale())), e);
        int p = QuantMath.bitsOf(i.threshold());
        g.describe(d.out(), new Info(1.0, p, i.threshold(), Info.Kind.FLOAT));
        floatNodes.put(d.name(), p);
        ins.add(d.out());
      } else {
        ins.add(e);
      }
    }
    Node out = new Node(n.op(), n.name(), n.attrs(), ins, 1);
    int p = QuantMath.bitsOf(t);
    g.describe(out.out(), new Info(1.0, p, t, Info.Kind.FLOAT));
    floatNodes.put(n.name(), p);
    return out.out();
  }

  private static Map<String, Double> withOverrides(Graph graph, Map<String, Double> calibrated, Map<String, Double> overrides) {
    Map<String, Double> th = new HashMap<>(calibrated);
    overrides.forEach((name, v) -> {
      if (graph.node(name).isEmpty()) {
        throw new MrtException("QUANTIZE.THRESHOLDS: no node named '" + name + "' in the graph");
      }
      if (!(v >= 0) || Double.isInfinite(v)) {
        throw new MrtException("QUANTIZE.THRESHOLDS: the threshold of " + name + " must be finite and >= 0, found " + v);
      }
      th.put(name, v);
    });
    for (Node n : graph.nodes()) {
      Double v = th.get(n.name());
      if (v == null) {
        throw new MrtException("node " + n.name() + " has no threshold: calibrate the model first "
            + "(or give one in QUANTIZE.THRESHOLDS)");
      }
      if (!(v >= 0) || Double.isInfinite(v)) {
        throw new MrtException("node " + n.name() + ": threshold must be finite and >= 0, found " + v);
      }
    }
    return th;
  }

  private OpContext headContext(Node n) {
    Attrs attrs = ops.attrsOf(n);
    return new OpContext() {
      @Override
      public Node node() {
        return n;
      }

      @Override
      public Attrs attrs() {
        return attrs;
      }
    };
  }
}
