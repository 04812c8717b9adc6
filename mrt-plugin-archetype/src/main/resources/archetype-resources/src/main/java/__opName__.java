#set( $opId = $opName.toLowerCase() )
package ${package};

import io.mrt.annotations.Attr;
import io.mrt.annotations.MrtOp;
import io.mrt.annotations.When;
import io.mrt.api.graph.Shape;
import io.mrt.api.hook.ForwardContext;
import io.mrt.api.hook.ForwardHook;
import io.mrt.api.hook.InferShapeHook;
import io.mrt.api.hook.ShapeContext;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * MXNet {@code Activation(act_type=${opId})} and the unary {@code ${opId}} op. The generated
 * forward computes softsign, {@code y = x / (1 + |x|)}, elementwise: replace it (and the test's
 * figures) with the op's own computation.
 *
 * <p>{@code when} keys the class to the Activation nodes whose {@code act_type} is
 * {@code ${opId}}; the built-in ops keep the other act_types. The attribute's default makes the
 * plain {@code ${opId}} op (which has no act_type) match too.
 */
@MrtOp(value = {"Activation", "${opId}"}, when = @When(attr = "act_type", equals = "${opId}"),
    attrs = @Attr(name = "act_type", type = String.class, defaultValue = "${opId}"))
public final class ${opName} implements InferShapeHook, ForwardHook {
  /** The generated registry creates the op with this constructor. */
  public ${opName}() {}

  @Override
  public List<Shape> inferShape(ShapeContext ctx) {
    if (ctx.inputShapes().size() != 1) {
      throw ctx.error("${opId} takes 1 input, found " + ctx.inputShapes().size());
    }
    return List.of(ctx.inputShape(0));
  }

  @Override
  public List<INDArray> forward(ForwardContext ctx) {
    INDArray x = ctx.input(0);
    INDArray denominator = Transforms.abs(x, true).addi(1.0);
    return List.of(x.div(denominator));
  }
}
