package io.mrt.runtime.pass;

import io.mrt.api.graph.Attrs;
import io.mrt.api.graph.Entry;
import io.mrt.api.graph.Graph;
import io.mrt.api.graph.Model;
import io.mrt.api.graph.Node;
import io.mrt.runtime.exec.fp.FloatExecutor;
import io.mrt.runtime.registry.OpTable;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Small graphs for pass tests, and a plain op-by-op evaluation of a model. */
final class TestGraphs {
  static final OpTable OPS = OpTable.load();
  static final PassContext CTX = new PassContext(OPS);

  private TestGraphs() {}

  /** A variable. */
  static Node var(String name) {
    return Node.variable(name, Attrs.empty());
  }

  /** An input variable with a declared shape. */
  static Node input(String name, long... shape) {
    return Node.variable(name, Attrs.of("__shape__", Attrs.tuple(shape)));
  }

  /** An op with attributes given as key/value pairs. */
  static Node op(String op, String name, String[] attrs, Node... in) {
    List<Entry> entries = new ArrayList<>();
    for (Node n : in) {
      entries.add(n.out());
    }
    return new Node(op, name, Attrs.of(attrs), entries, 1);
  }

  static String[] a(String... kv) {
    return kv;
  }

  /** A model with the given heads and parameters. */
  static Model model(Map<String, INDArray> params, Node... heads) {
    List<Entry> h = new ArrayList<>();
    for (Node n : heads) {
      h.add(n.out());
    }
    return new Model(new Graph(h), params);
  }

  static Map<String, INDArray> params(Object... kv) {
    Map<String, INDArray> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], (INDArray) kv[i + 1]);
    }
    return m;
  }

  /** A float32 array of the given shape with values from {@code seed} (deterministic, mixed signs). */
  static INDArray values(long seed, long... shape) {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    float[] v = new float[(int) n];
    java.util.Random r = new java.util.Random(seed);
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) (r.nextGaussian());
    }
    return Nd4j.createFromArray(v).reshape(shape);
  }

  static INDArray floats(long[] shape, float... v) {
    return Nd4j.createFromArray(v).reshape(shape).castTo(DataType.FLOAT);
  }

  /** The outputs of a model with one input, run by the float executor. */
  static List<INDArray> run(Model m, INDArray input) {
    return new FloatExecutor(m, OPS).run(input);
  }

  /** The largest absolute difference between two arrays of equal shape. */
  static double maxDiff(INDArray a, INDArray b) {
    if (!java.util.Arrays.equals(a.shape(), b.shape())) {
      throw new AssertionError("shapes differ: " + java.util.Arrays.toString(a.shape()) + " vs "
          + java.util.Arrays.toString(b.shape()));
    }
    return a.castTo(DataType.DOUBLE).sub(b.castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
  }

  static String text(Model m) {
    return GraphText.of(m);
  }

  static String lines(String... l) {
    return String.join("\n", l) + "\n";
  }
}
