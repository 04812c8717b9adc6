package io.mrt.api.hook;

import io.mrt.api.graph.Shape;
import java.util.List;
import java.util.Optional;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The context of {@link InferPrecisionHook}: the precisions and shapes around a node. */
public interface PrecisionContext extends OpContext {
  /** The precisions of the input entries, in input order. */
  List<Integer> inputPrecisions();

  /** Input precision {@code i}. */
  default int inputPrecision(int i) {
    return inputPrecisions().get(i);
  }

  /** The shapes of the input entries, in input order. */
  List<Shape> inputShapes();

  /** Input shape {@code i}. */
  default Shape inputShape(int i) {
    return inputShapes().get(i);
  }

  /** The shapes of the node's outputs. */
  List<Shape> outputShapes();

  /** The integer value of input {@code i} when it is a parameter. */
  Optional<INDArray> paramValue(int i);

  /**
   * Checks that every input precision is at most {@code max} (conv2d and dense: 8), else throws
   * an error naming the inputs' precisions.
   */
  default void requireInputsAtMost(int max, int count) {
    for (int i = 0; i < count && i < inputPrecisions().size(); i++) {
      if (inputPrecision(i) > max) {
        throw error("input " + i + " has precision " + inputPrecision(i) + " but this op accepts at most "
            + max + " bits (input precisions " + inputPrecisions() + ")");
      }
    }
  }
}
