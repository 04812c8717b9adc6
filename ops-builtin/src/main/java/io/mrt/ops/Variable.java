package io.mrt.ops;

import io.mrt.annotations.MrtOp;
import io.mrt.api.graph.Shape;
import io.mrt.api.hook.ForwardContext;
import io.mrt.api.hook.ForwardHook;
import io.mrt.api.hook.InferShapeHook;
import io.mrt.api.hook.ShapeContext;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * MXNet's {@code null} op: a variable (the input {@code data} or a parameter). Its shape and value
 * come from the executor (input feed or parameter table), so both hooks only check that they were
 * given.
 */
@MrtOp(value = "null", restorable = false)
public final class Variable implements InferShapeHook, ForwardHook {
  /** For the registry. */
  public Variable() {}

  @Override
  public List<Shape> inferShape(ShapeContext ctx) {
    throw ctx.error("a variable has no inputs to infer its shape from; give it a shape (INPUT_SHAPE or a parameter)");
  }

  @Override
  public List<INDArray> forward(ForwardContext ctx) {
    throw ctx.error("a variable has no value; feed it as an input or load it as a parameter");
  }
}
