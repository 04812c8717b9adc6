package io.mrt.api.hook;

import io.mrt.api.graph.Attrs;
import io.mrt.api.graph.Entry;
import io.mrt.api.graph.Node;
import io.mrt.api.graph.Shape;
import java.util.Optional;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Builds new nodes inside a graph transformation; names are made unique by the pass. */
public interface GraphBuilder {
  /** A new single-output op node named after {@code nameHint} (made unique). */
  Node op(String op, String nameHint, Attrs attrs, Entry... inputs);

  /** A new parameter variable holding {@code value}, named after {@code nameHint} (made unique). */
  Node param(String nameHint, INDArray value);

  /** The inferred shape of an entry of the graph being built. */
  Shape shapeOf(Entry e);

  /** The value of an entry when it is a parameter variable. */
  Optional<INDArray> paramValue(Entry e);

  /** Whether the entry is a parameter variable. */
  default boolean isParam(Entry e) {
    return paramValue(e).isPresent();
  }
}
