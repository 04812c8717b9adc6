package io.mrt.testing;

import io.mrt.api.graph.Attrs;
import io.mrt.api.graph.Node;
import io.mrt.api.hook.CalibrateContext;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A {@link CalibrateContext} for batch 0 that keeps, per output, the values the hook observed. Like
 * the calibrate stage, it refuses an output index the node does not have.
 */
public final class RecordingCalibrateContext implements CalibrateContext {
  private final Node node;
  private final Attrs attrs;
  private final List<INDArray> inputs;
  private final List<INDArray> outputs;
  private final List<List<INDArray>> observed = new ArrayList<>();

  RecordingCalibrateContext(Node node, Attrs attrs, List<INDArray> inputs, List<INDArray> outputs) {
    this.node = node;
    this.attrs = attrs;
    this.inputs = List.copyOf(inputs);
    this.outputs = List.copyOf(outputs);
    for (int i = 0; i < node.numOutputs(); i++) {
      observed.add(new ArrayList<>());
    }
  }

  @Override
  public Node node() {
    return node;
  }

  @Override
  public Attrs attrs() {
    return attrs;
  }

  @Override
  public List<INDArray> inputs() {
    return inputs;
  }

  @Override
  public List<INDArray> outputs() {
    return outputs;
  }

  @Override
  public int batchIndex() {
    return 0;
  }

  @Override
  public void observe(int index, INDArray value) {
    if (index < 0 || index >= node.numOutputs()) {
      throw error("observe(" + index + "): the node has " + node.numOutputs() + " output(s)");
    }
    observed.get(index).add(value);
  }

  /** The values observed for output {@code index}, in the order the hook observed them. */
  public List<INDArray> observed(int index) {
    return Collections.unmodifiableList(observed.get(index));
  }
}
