package io.mrt.plugins.tanh;

import io.mrt.api.graph.Attrs;
import io.mrt.api.graph.Node;
import io.mrt.api.graph.Shape;
import io.mrt.api.hook.CalibrateContext;
import io.mrt.api.hook.ForwardContext;
import io.mrt.api.hook.ShapeContext;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Hook contexts for one node, as the runtime builds them (attributes with defaults filled in). */
final class Contexts {
  private Contexts() {}

  static ShapeContext shape(Node node, Shape... inputs) {
    return new ShapeContext() {
      @Override
      public Node node() {
        return node;
      }

      @Override
      public Attrs attrs() {
        return node.attrs();
      }

      @Override
      public List<Shape> inputShapes() {
        return List.of(inputs);
      }
    };
  }

  static ForwardContext forward(Node node, INDArray... inputs) {
    return new ForwardContext() {
      @Override
      public Node node() {
        return node;
      }

      @Override
      public Attrs attrs() {
        return node.attrs();
      }

      @Override
      public List<INDArray> inputs() {
        return List.of(inputs);
      }
    };
  }

  /** A calibrate context that records what the hook observes. */
  static final class Calibration implements CalibrateContext {
    final List<INDArray> observed = new ArrayList<>();
    private final Node node;
    private final List<INDArray> inputs;
    private final List<INDArray> outputs;

    Calibration(Node node, List<INDArray> inputs, List<INDArray> outputs) {
      this.node = node;
      this.inputs = inputs;
      this.outputs = outputs;
    }

    @Override
    public Node node() {
      return node;
    }

    @Override
    public Attrs attrs() {
      return node.attrs();
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
      if (index != 0) {
        throw new IllegalArgumentException("tanh has one output, observed " + index);
      }
      observed.add(value);
    }
  }
}
