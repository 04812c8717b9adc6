package io.mrt.runtime.pass;

import io.mrt.api.graph.AttrException;
import io.mrt.api.graph.Attrs;
import io.mrt.api.graph.Node;
import io.mrt.api.hook.ForwardContext;
import io.mrt.api.hook.ForwardHook;
import io.mrt.api.hook.OpException;
import io.mrt.api.registry.HookType;
import io.mrt.runtime.MrtException;
import io.mrt.runtime.registry.OpTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Runs one op node in float32 through its {@code forward} hook (constant folding uses it). */
final class NodeEvaluator {
  private NodeEvaluator() {}

  /** The node's outputs for the given input values (cast to float32), if the op has a forward hook. */
  static Optional<List<INDArray>> evaluate(OpTable ops, Node n, List<INDArray> inputs) {
    Optional<ForwardHook> hook = ops.hook(HookType.FORWARD, n);
    if (hook.isEmpty()) {
      return Optional.empty();
    }
    Attrs attrs = ops.attrsOf(n);
    List<INDArray> in = new ArrayList<>();
    for (INDArray a : inputs) {
      in.add(a.dataType() == DataType.FLOAT ? a : a.castTo(DataType.FLOAT));
    }
    List<INDArray> inputsView = List.copyOf(in);
    ForwardContext ctx = new ForwardContext() {
      @Override
      public List<INDArray> inputs() {
        return inputsView;
      }

      @Override
      public Node node() {
        return n;
      }

      @Override
      public Attrs attrs() {
        return attrs;
      }
    };
    List<INDArray> out;
    try {
      out = hook.get().forward(ctx);
    } catch (OpException e) {
      throw new MrtException(e.getMessage(), e);
    } catch (AttrException e) {
      throw new MrtException("node " + n.name() + " (" + n.op() + "): " + e.getMessage(), e);
    }
    if (out.size() != n.numOutputs()) {
      throw new MrtException("node " + n.name() + " (" + n.op() + "): forward returned " + out.size()
          + " outputs, but the node has " + n.numOutputs());
    }
    return Optional.of(List.copyOf(out));
  }
}
