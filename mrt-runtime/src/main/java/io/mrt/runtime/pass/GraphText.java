package io.mrt.runtime.pass;

import io.mrt.api.graph.Entry;
import io.mrt.api.graph.Model;
import io.mrt.api.graph.Node;
import io.mrt.api.graph.Shape;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A canonical text form of a model, one line per node in topological order, for tests, logs and
 * {@code inspect}:
 * <pre>
 * data = input {__shape__=(1, 3, 8, 8)}
 * w = param (4, 3, 3, 3)
 * conv = Convolution(data, w) {kernel=(3, 3), num_filter=4}
 * heads conv
 * </pre>
 * Attributes are sorted by key; an entry other than output 0 is written {@code name[i]}; a node
 * with several outputs shows {@code /n}.
 */
public final class GraphText {
  private GraphText() {}

  /** The canonical text of a model (graph plus parameter shapes). */
  public static String of(Model model) {
    StringBuilder b = new StringBuilder();
    for (Node n : model.graph().nodes()) {
      b.append(n.name()).append(" = ");
      if (n.isVariable()) {
        INDArray v = model.params().get(n.name());
        b.append(v == null ? "input" : "param " + Shape.of(v.shape()));
      } else {
        b.append(n.op());
        if (n.numOutputs() != 1) {
          b.append('/').append(n.numOutputs());
        }
        StringJoiner in = new StringJoiner(", ", "(", ")");
        for (Entry e : n.inputs()) {
          in.add(e.toString());
        }
        b.append(in);
      }
      Map<String, String> sorted = new TreeMap<>(n.attrs().asMap());
      if (!sorted.isEmpty()) {
        b.append(' ').append(sorted);
      }
      b.append('\n');
    }
    StringJoiner heads = new StringJoiner(", ");
    for (Entry h : model.graph().heads()) {
      heads.add(h.toString());
    }
    return b.append("heads ").append(heads).append('\n').toString();
  }
}
