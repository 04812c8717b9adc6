package io.mrt.testing;

import io.mrt.api.graph.Attrs;
import io.mrt.api.graph.Node;
import io.mrt.api.graph.Shape;
import io.mrt.api.hook.ForwardContext;
import io.mrt.api.hook.ShapeContext;
import io.mrt.api.registry.OpDescriptor;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The contexts of the hooks of one node, as the runtime builds them: {@link io.mrt.api.hook.OpContext#attrs()} is
 * the node's attributes with the op's declared defaults filled in ({@code op.defaults()}), and the
 * inputs are given in input order.
 *
 * <pre>{@code
 * OpRegistry registry = new SoftsignOpRegistry();
 * Node node = TinyGraph.unary("Activation", "act1", Attrs.of("act_type", "softsign"));
 * OpDescriptor op = Descriptors.handling(registry, node);
 * INDArray y = registry.hook(HookType.FORWARD, op.key())
 *     .forward(HookContexts.forward(node, op, Nd4j.createFromArray(-1f, 0f, 1f))).get(0);
 * }</pre>
 *
 * @see io.mrt.api.hook.OpContext
 */
public final class HookContexts {
  private HookContexts() {}

  /** The context of an {@code InferShapeHook}: the shapes of the node's inputs. */
  public static ShapeContext shape(Node node, OpDescriptor op, Shape... inputs) {
    Attrs attrs = withDefaults(node, op);
    List<Shape> shapes = List.of(inputs);
    return new ShapeContext() {
      @Override
      public Node node() {
        return node;
      }

      @Override
      public Attrs attrs() {
        return attrs;
      }

      @Override
      public List<Shape> inputShapes() {
        return shapes;
      }
    };
  }

  /**
   * The context of a {@code ForwardHook}: the float inputs, none of which the hook may overwrite
   * ({@code mayOverwrite} is false, as for an input that a later node still reads).
   */
  public static ForwardContext forward(Node node, OpDescriptor op, INDArray... inputs) {
    Attrs attrs = withDefaults(node, op);
    List<INDArray> values = List.of(inputs);
    return new ForwardContext() {
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
        return values;
      }
    };
  }

  /**
   * The context of a {@code CalibrateHook} for batch 0, recording what the hook observes
   * ({@link RecordingCalibrateContext#observed(int)}).
   */
  public static RecordingCalibrateContext calibrate(Node node, OpDescriptor op, List<INDArray> inputs,
      List<INDArray> outputs) {
    return new RecordingCalibrateContext(node, withDefaults(node, op), inputs, outputs);
  }

  /**
   * The context of a {@code QuantizeHook} on the node's own inputs, recording the lookup tables the
   * hook asks for; see {@link RecordingQuantizeContext} for what it answers.
   */
  public static RecordingQuantizeContext quantize(Node node, OpDescriptor op) {
    return new RecordingQuantizeContext(node, withDefaults(node, op), op.inputPrecision());
  }

  static Attrs withDefaults(Node node, OpDescriptor op) {
    return node.attrs().withDefaults(op.defaults());
  }
}
