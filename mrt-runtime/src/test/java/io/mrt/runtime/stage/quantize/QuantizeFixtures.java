package io.mrt.runtime.stage.quantize;

import io.mrt.api.graph.Attrs;
import io.mrt.api.graph.Entry;
import io.mrt.api.graph.Model;
import io.mrt.api.graph.Node;
import io.mrt.api.graph.Shape;
import io.mrt.runtime.registry.OpTable;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Small graphs and helpers for the quantize tests. */
final class QuantizeFixtures {
  static final OpTable OPS = OpTable.load();

  private QuantizeFixtures() {}

  static INDArray f(long[] shape, double... v) {
    return Nd4j.create(v, shape, DataType.FLOAT);
  }

  static double[] values(INDArray a) {
    return a.dup('c').castTo(DataType.DOUBLE).data().asDouble();
  }

  static Node data(long... shape) {
    return Node.variable("data", Attrs.of("__shape__", Shape.of(shape).toString()));
  }

  static Node var(String name) {
    return Node.variable(name, Attrs.empty());
  }

  static Node fc(String name, int hidden, boolean noBias, Entry... in) {
    return Node.op("FullyConnected", name, Attrs.of("num_hidden", String.valueOf(hidden), "no_bias", noBias ? "True" : "False"), in);
  }

  /** Builds a model and its threshold table from alternating name/threshold pairs. */
  static final class Builder {
    final Map<String, INDArray> params = new LinkedHashMap<>();
    final Map<String, Double> th = new HashMap<>();

    Builder param(String name, INDArray value, double threshold) {
      params.put(name, value);
      th.put(name, threshold);
      return this;
    }

    Builder th(String name, double threshold) {
      th.put(name, threshold);
      return this;
    }

    Model model(Entry... heads) {
      return new Model(io.mrt.api.graph.Graph.of(heads), params);
    }
  }

  static QuantizeResult quantize(Model m, Map<String, Double> th, QuantizeOptions o) {
    return new QuantizePass(OPS).run(m, th, o, Map.of());
  }

  static Node node(QuantizeResult r, String name) {
    return r.model().graph().node(name).orElseThrow(() -> new AssertionError("no node " + name + " in\n" + r.model().graph()));
  }
}
