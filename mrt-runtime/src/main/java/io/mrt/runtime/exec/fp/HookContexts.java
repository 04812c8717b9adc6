package io.mrt.runtime.exec.fp;

import io.mrt.api.graph.Attrs;
import io.mrt.api.graph.Node;
import io.mrt.api.graph.Shape;
import io.mrt.api.hook.ForwardContext;
import io.mrt.api.hook.ShapeContext;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The contexts the float executor and shape inference hand to the hooks. */
final class HookContexts {
  private HookContexts() {}

  /**
   * {@code overwritable}: which inputs the hook may write into ({@code null}: none);
   * {@code keepLayout}: whether its outputs may be non-row-major ({@link ForwardContext#mayKeepLayout}).
   */
  record Forward(Node node, Attrs attrs, List<INDArray> inputs, boolean[] overwritable, boolean keepLayout)
      implements ForwardContext {
    @Override
    public boolean mayOverwrite(int i) {
      return overwritable != null && i >= 0 && i < overwritable.length && overwritable[i];
    }

    @Override
    public boolean mayKeepLayout() {
      return keepLayout;
    }
  }

  record Shapes(Node node, Attrs attrs, List<Shape> inputShapes) implements ShapeContext {}
}
