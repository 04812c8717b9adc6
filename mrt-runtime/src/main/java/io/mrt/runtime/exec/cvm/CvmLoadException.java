package io.mrt.runtime.exec.cvm;

import io.mrt.runtime.MrtException;

/**
 * A compiled CVM model refused at load by one of the checks of CVM_FORMAT.md section 1.4 (or a
 * params check of section 2). The message names the model, the node or key, what was expected and
 * what was found.
 */
public class CvmLoadException extends MrtException {
  private static final long serialVersionUID = 1L;

  /** A refusal with a complete message. */
  public CvmLoadException(String message) {
    super(message);
  }
}
