package io.mrt.api.hook;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Runs a node in float32 on ND4J. */
public interface ForwardHook {
  /**
   * The output values, one per output: new arrays, or an input the context allows to overwrite
   * ({@link ForwardContext#mayOverwrite}); other inputs are never modified.
   */
  List<INDArray> forward(ForwardContext ctx);
}
