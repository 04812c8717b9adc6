package fixture.golden;

import io.mrt.annotations.Attr;
import io.mrt.annotations.MrtOp;
import io.mrt.api.graph.Entry;
import io.mrt.api.graph.Shape;
import io.mrt.api.hook.ForwardContext;
import io.mrt.api.hook.ForwardHook;
import io.mrt.api.hook.InferShapeHook;
import io.mrt.api.hook.LowerContext;
import io.mrt.api.hook.LowerToCvmHook;
import io.mrt.api.hook.ShapeContext;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/** An unkeyed op with one attribute of every type, four hooks, emits and an input precision. */
@MrtOp(value = "Convolution",
    attrs = {
        @Attr(name = "kernel", type = int[].class),
        @Attr(name = "num_filter", type = int.class),
        @Attr(name = "no_bias", type = boolean.class, defaultValue = "False"),
        @Attr(name = "workspace", type = long.class, defaultValue = "1024"),
        @Attr(name = "scale", type = float.class, defaultValue = "0.5"),
        @Attr(name = "eps", type = double.class, defaultValue = "1e-5"),
        @Attr(name = "layout", type = String.class, defaultValue = "None"),
        @Attr(name = "shape", type = long[].class, defaultValue = "(1, 2)"),
        @Attr(name = "scales", type = float[].class, defaultValue = "[0.5, 2]"),
        @Attr(name = "bounds", type = double[].class, defaultValue = "(-inf, inf)")},
    emits = {"conv2d", "cvm_right_shift", "conv2d"},
    inputPrecision = 8)
public final class Conv implements LowerToCvmHook, InferShapeHook, ForwardHook {
  public Conv() {}

  @Override
  public List<Shape> inferShape(ShapeContext ctx) {
    return List.of(ctx.inputShape(0));
  }

  @Override
  public List<INDArray> forward(ForwardContext ctx) {
    return List.of(ctx.input(0).dup());
  }

  @Override
  public List<Entry> lowerToCvm(LowerContext ctx) {
    throw new UnsupportedOperationException("not needed by the fixture");
  }
}
