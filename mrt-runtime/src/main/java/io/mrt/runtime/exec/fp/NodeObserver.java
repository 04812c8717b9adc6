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

  /**
   * Whether {@link #observe} reads {@code node}'s inputs (true unless overridden). When false, the
   * executor may let the node write its result into an input nothing reads afterwards, so that
   * input's array may then hold the output; its value was shown unchanged as an output of the node
   * that produced it.
   */
  default boolean readsInputs(Node node) {
    return true;
  }

  /**
   * Whether {@link #observe} reads {@code node}'s outputs (and its inputs, when it reads them)
   * whatever their strides (false unless overridden). When true, the executor may show NCHW-shaped
   * views of NHWC buffers (the layout a plain run keeps between convolutions and element-wise ops)
   * instead of row-major copies; the values are the same, their order in memory is not.
   */
  default boolean readsAnyLayout(Node node) {
    return false;
  }
}
