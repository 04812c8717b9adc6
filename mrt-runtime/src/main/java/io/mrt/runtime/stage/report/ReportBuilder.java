package io.mrt.runtime.stage.report;

import io.mrt.api.graph.Attrs;
import io.mrt.api.graph.Entry;
import io.mrt.api.graph.Graph;
import io.mrt.api.graph.Model;
import io.mrt.api.graph.Node;
import io.mrt.api.hook.QuantMath;
import io.mrt.runtime.MrtException;
import io.mrt.runtime.exec.fp.FloatExecutor;
import io.mrt.runtime.registry.OpTable;
import io.mrt.runtime.stage.quantize.IntegerSimulation;
import io.mrt.runtime.stage.quantize.QuantizeResult;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Gathers a {@link QualityReport}: each batch runs through the float graph and through the
 * quantized graph (its integer ops' exact forwards, as {@link IntegerSimulation} does), and every
 * float node's output is compared with the dequantized output of the quantized node that stands for
 * it. On the first batch each node is also run alone, its integer subgraph fed with the float
 * inputs quantized at their scales, which separates the error a node adds from the error it
 * inherits.
 */
public final class ReportBuilder {
  /** Bins of the magnitude histograms. */
  public static final int BINS = 48;

  private final Model floatModel;
  private final QuantizeResult quantized;
  private final OpTable ops;
  private final FloatExecutor floatExec;
  private final FloatExecutor intExec;
  private final Map<String, Node> intNodes = new HashMap<>();
  private final Map<String, Acc> accs = new LinkedHashMap<>();
  private long images;
  private int batches;
  private long[] inputShape;

  /** A builder comparing {@code floatModel} (the quantize stage's input) with its quantized graph. */
  public ReportBuilder(Model floatModel, QuantizeResult quantized, OpTable ops) {
    this.floatModel = floatModel;
    this.quantized = quantized;
    this.ops = ops;
    this.floatExec = new FloatExecutor(floatModel, ops);
    this.intExec = new FloatExecutor(quantized.model(), ops);
    for (Node n : quantized.model().graph().nodes()) {
      intNodes.put(n.name(), n);
    }
    for (Node n : floatModel.graph().ops()) {
      String rep = quantized.represents().get(n.name());
      if (rep != null && intNodes.containsKey(rep) && quantized.scales().containsKey(rep)) {
        accs.put(n.name(), new Acc(n, rep, quantized.thresholds().getOrDefault(n.name(), 0.0),
            quantized.scales().get(rep), quantized.precisions().getOrDefault(rep, 0)));
      }
    }
  }

  /** Runs one batch of float inputs through both graphs and adds it to the statistics. */
  public void add(INDArray batch) {
    inputShape = batch.shape();
    Map<String, float[]> ints = new HashMap<>();
    Map<String, String> wanted = new HashMap<>();
    accs.values().forEach(a -> wanted.put(a.rep, a.node.name()));
    INDArray qin = IntegerSimulation.quantizeInput(batch, quantized.inputScale(), quantized.inputPrecision());
    intExec.run(Map.of(quantized.inputName(), qin), (node, in, out) -> {
      if (wanted.containsKey(node.name())) {
        ints.put(node.name(), floats(out.get(0)));
      }
    });
    if (wanted.containsKey(quantized.inputName())) {
      ints.put(quantized.inputName(), floats(qin));
    }
    boolean first = batches == 0;
    Map<String, float[]> floatsOfFirst = first ? new HashMap<>() : null;
    String inputName = quantized.inputName();
    if (first) {
      floatsOfFirst.put(inputName, floats(batch));
    }
    floatExec.run(Map.of(inputName, batch), (node, in, out) -> {
      Acc a = accs.get(node.name());
      float[] f = null;
      if (a != null) {
        f = floats(out.get(0));
        a.shape = out.get(0).shape();
        float[] q = ints.remove(a.rep);
        if (q != null) {
          a.add(f, q);
        }
      }
      if (first) {
        floatsOfFirst.put(node.name(), f != null ? f : floats(out.get(0)));
      }
    });
    if (first) {
      for (Acc a : accs.values()) {
        a.localSqnr = localSqnr(a, floatsOfFirst, batch.shape()[0]);
      }
    }
    images += batch.shape()[0];
    batches++;
  }

  /** The report so far. */
  public QualityReport build(String model, String exactness, Map<String, Object> evaluation) {
    List<QualityReport.NodeRow> rows = new ArrayList<>();
    int i = 0;
    for (Acc a : accs.values()) {
      rows.add(new QualityReport.NodeRow(i++, a.node.name(), a.node.op(), a.shape, a.rep, a.threshold, a.scale,
          a.precision, db(a.sumF2, a.sumE2), a.sumF2 == 0 || a.sumQ2 == 0 ? (a.sumE2 == 0 ? 1 : 0)
              : a.sumFq / Math.sqrt(a.sumF2 * a.sumQ2),
          a.count == 0 ? 0 : (double) a.clipped / a.count, a.localSqnr,
          new QualityReport.Histogram(a.histMax, a.hist)));
    }
    return new QualityReport(model, images, batches, exactness, rows, evaluation);
  }

  /** The integer outputs of the quantized graph for {@code batch}, as the simulation computes them. */
  public List<INDArray> integerOutputs(INDArray batch) {
    INDArray qin = IntegerSimulation.quantizeInput(batch, quantized.inputScale(), quantized.inputPrecision());
    return intExec.run(Map.of(quantized.inputName(), qin));
  }

  private static Double db(double signal, double noise) {
    if (noise == 0 || signal == 0) {
      return null;
    }
    return 10 * Math.log10(signal / noise);
  }

  private static float[] floats(INDArray a) {
    return a.castTo(DataType.FLOAT).dup('c').data().asFloat();
  }

  /**
   * The node alone: the quantized subgraph between the quantized nodes of the float node's inputs
   * and its own quantized node, fed with the float inputs realized at the inputs' scales.
   */
  private Double localSqnr(Acc a, Map<String, float[]> floats, long batch) {
    Node floatNode = a.node;
    Map<String, String> stops = new HashMap<>(); // quantized node name -> float node name feeding it
    for (Entry e : floatNode.inputs()) {
      Node m = e.node();
      if (m.isVariable()) {
        if (!floatModel.isParam(m)) {
          stops.put(quantized.inputName(), m.name());
        }
        continue;
      }
      String rep = quantized.represents().get(m.name());
      if (rep == null || !quantized.scales().containsKey(rep)) {
        return null;
      }
      stops.put(rep, m.name());
    }
    if (stops.containsKey(a.rep)) {
      return null;
    }
    Map<Node, Node> memo = new IdentityHashMap<>();
    Map<String, INDArray> feeds = new HashMap<>();
    Map<String, INDArray> params = new LinkedHashMap<>();
    Node root;
    try {
      root = cut(intNodes.get(a.rep), stops, memo, feeds, params, floats, 0);
    } catch (CutFailed ex) {
      return null;
    }
    if (feeds.isEmpty()) {
      return null;
    }
    Model sub = new Model(new Graph(List.of(root.out())), params);
    INDArray out = new FloatExecutor(sub, ops).run(feeds).get(0);
    float[] q = floats(out);
    float[] f = floats.get(floatNode.name());
    if (f == null || f.length != q.length) {
      return null;
    }
    double s2 = 0;
    double e2 = 0;
    for (int i = 0; i < f.length; i++) {
      double d = f[i] - q[i] / a.scale;
      s2 += (double) f[i] * f[i];
      e2 += d * d;
    }
    return db(s2, e2);
  }

  /** Thrown when a subgraph reaches the graph input without passing a stop (cannot be fed). */
  private static final class CutFailed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CutFailed() {
      super(null, null, false, false);
    }
  }

  private Node cut(Node n, Map<String, String> stops, Map<Node, Node> memo, Map<String, INDArray> feeds,
      Map<String, INDArray> params, Map<String, float[]> floats, int depth) {
    Node done = memo.get(n);
    if (done != null) {
      return done;
    }
    if (depth > 10_000) {
      throw new MrtException("report: the quantized graph is deeper than 10000 nodes at " + n.name());
    }
    Node result;
    String feedFrom = stops.get(n.name());
    if (feedFrom != null) {
      float[] f = floats.get(feedFrom);
      double scale = n.name().equals(quantized.inputName()) ? quantized.inputScale() : quantized.scales().get(n.name());
      int precision = n.name().equals(quantized.inputName()) ? quantized.inputPrecision()
          : quantized.precisions().get(n.name());
      if (f == null) {
        throw new CutFailed();
      }
      double[] v = new double[f.length];
      for (int i = 0; i < f.length; i++) {
        v[i] = QuantMath.realize(f[i] * scale, precision);
      }
      long[] shape = floatShape(feedFrom);
      feeds.put(n.name(), Nd4j.create(v, shape, DataType.DOUBLE).castTo(DataType.FLOAT));
      result = Node.variable(n.name(), Attrs.of());
    } else if (n.isVariable()) {
      INDArray p = quantized.model().params().get(n.name());
      if (p == null) {
        throw new CutFailed();
      }
      params.put(n.name(), p);
      result = n;
    } else {
      List<Entry> ins = new ArrayList<>();
      for (Entry e : n.inputs()) {
        ins.add(new Entry(cut(e.node(), stops, memo, feeds, params, floats, depth + 1), e.index()));
      }
      result = n.withInputs(ins);
    }
    memo.put(n, result);
    return result;
  }

  private long[] floatShape(String floatNode) {
    Acc a = accs.get(floatNode);
    if (a != null && a.shape != null) {
      return a.shape;
    }
    return inputShape;
  }

  /** The running sums of one node. */
  private static final class Acc {
    final Node node;
    final String rep;
    final double threshold;
    final double scale;
    final int precision;
    long[] shape;
    double sumF2;
    double sumE2;
    double sumFq;
    double sumQ2;
    long clipped;
    long count;
    double histMax = -1;
    final long[] hist = new long[BINS];
    Double localSqnr;

    Acc(Node node, String rep, double threshold, double scale, int precision) {
      this.node = node;
      this.rep = rep;
      this.threshold = threshold;
      this.scale = scale;
      this.precision = precision;
    }

    void add(float[] f, float[] q) {
      if (f.length != q.length) {
        throw new MrtException("report: node " + node.name() + " has " + f.length + " float values but its quantized node "
            + rep + " has " + q.length);
      }
      if (histMax < 0) {
        double m = 0;
        for (float v : f) {
          m = Math.max(m, Math.abs(v));
        }
        histMax = Math.max(m, threshold) * 1.05;
        if (histMax == 0) {
          histMax = 1;
        }
      }
      double inv = 1 / scale;
      for (int i = 0; i < f.length; i++) {
        double fv = f[i];
        double qv = q[i] * inv;
        double d = fv - qv;
        sumF2 += fv * fv;
        sumE2 += d * d;
        sumFq += fv * qv;
        sumQ2 += qv * qv;
        double abs = Math.abs(fv);
        if (abs > threshold) {
          clipped++;
        }
        int bin = (int) (abs / histMax * BINS);
        hist[Math.min(bin, BINS - 1)]++;
      }
      count += f.length;
    }
  }
}
