package io.mrt.api.hook;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The context of {@link CalibrateHook}: the float values of one node for one calibration batch.
 *
 * <p>The calibrate stage keeps one observer per node output and feeds it every batch; the
 * calibration method (abs-max, MRT's lambda outlier rule, percentile, KL entropy) turns all the
 * observations of all batches into the output's threshold. Values must not be written.
 */
public interface CalibrateContext extends OpContext {
  /** The input values of the node for this batch. */
  List<INDArray> inputs();

  /** The output values of the node for this batch. */
  List<INDArray> outputs();

  /**
   * The index of the batch, from 0 ({@code -1} when the caller does not number batches: a
   * default so that contexts written before this method still compile).
   */
  default int batchIndex() {
    return -1;
  }

  /**
   * Feeds {@code value} to the calibration method as an observation of output {@code index}.
   * May be called several times per batch (each call adds data); an output never observed in any
   * batch has threshold 0.
   */
  void observe(int index, INDArray value);
}
