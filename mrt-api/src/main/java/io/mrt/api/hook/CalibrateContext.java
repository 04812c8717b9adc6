package io.mrt.api.hook;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The context of {@link CalibrateHook}: the float values of one calibration batch. */
public interface CalibrateContext extends OpContext {
  /** The input values of the node for this batch. */
  List<INDArray> inputs();

  /** The output values of the node for this batch. */
  List<INDArray> outputs();

  /** Feeds {@code value} to the calibration method as an observation of output {@code index}. */
  void observe(int index, INDArray value);
}
