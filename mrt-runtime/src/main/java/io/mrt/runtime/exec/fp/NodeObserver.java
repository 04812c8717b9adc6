package io.mrt.runtime.exec.fp;

import io.mrt.api.graph.Node;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Sees every op node as the float executor runs it (calibration observes these values). The
 * arrays are the executor's: read them during the call, and {@code dup()} what must outlive it.
 */
@FunctionalInterface
public interface NodeObserver {
  /** Called once per op node, in topological order, after its forward hook ran. */
  void observe(Node node, List<INDArray> inputs, List<INDArray> outputs);
}
