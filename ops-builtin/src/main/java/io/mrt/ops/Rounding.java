package io.mrt.ops;

import io.mrt.annotations.MrtOp;
import io.mrt.api.graph.Entry;
import io.mrt.api.graph.Shape;
import io.mrt.api.hook.ForwardContext;
import io.mrt.api.hook.ForwardHook;
import io.mrt.api.hook.InferShapeHook;
import io.mrt.api.hook.LowerContext;
import io.mrt.api.hook.LowerToCvmHook;
import io.mrt.api.hook.QuantizeContext;
import io.mrt.api.hook.QuantizeHook;
import io.mrt.api.hook.Quantized;
import io.mrt.api.hook.ShapeContext;
import io.mrt.ops.support.Lowering;
import io.mrt.ops.support.Unary;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * MXNet's rounding ops, element-wise: {@code floor}, {@code ceil}, {@code round} (half away from
 * zero) and {@code fix} (toward zero). Quantized as MRT does by default (the input's scale and
 * precision pass through) and, as MRT's compile does, lowered to nothing: the integer input is
 * passed through unchanged (the rounding of the float values is not reproduced on the integers).
 */
@MrtOp({"floor", "ceil", "round", "fix"})
public final class Rounding implements InferShapeHook, ForwardHook, QuantizeHook, LowerToCvmHook {
  /** For the registry. */
  public Rounding() {}

  @Override
  public List<Shape> inferShape(ShapeContext ctx) {
    return Unary.shape(ctx);
  }

  @Override
  public List<INDArray> forward(ForwardContext ctx) {
    Unary.FloatFn fn = switch (ctx.node().op()) {
      case "floor" -> v -> (float) Math.floor(v);
      case "ceil" -> v -> (float) Math.ceil(v);
      case "round" -> v -> (float) (v < 0 ? -Math.floor(-v + 0.5) : Math.floor(v + 0.5));
      case "fix" -> v -> (float) (v < 0 ? Math.ceil(v) : Math.floor(v));
      default -> throw ctx.error("not a rounding op");
    };
    return List.of(Unary.map(ctx.input(0), fn));
  }

  /** MRT's default: the input's scale and precision pass through. */
  @Override
  public Quantized quantize(QuantizeContext ctx) {
    return ctx.keepScale();
  }

  /** MRT's compile: the input passed through. */
  @Override
  public List<Entry> lowerToCvm(LowerContext ctx) {
    return Lowering.identity(ctx);
  }
}
