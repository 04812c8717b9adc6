package io.mrt.runtime.exec.cvm;

import io.mrt.runtime.MrtException;

/**
 * A model that passed the load checks but cannot be run, in the places where the reference CPU
 * runtime fails at inference (for example {@code cvm_left_shift}, see docs/cvm.md), or an input
 * that does not fit the model. The message names the model and the node.
 */
public class CvmInferenceException extends MrtException {
  private static final long serialVersionUID = 1L;

  /** A failure with a complete message. */
  public CvmInferenceException(String message) {
    super(message);
  }
}
