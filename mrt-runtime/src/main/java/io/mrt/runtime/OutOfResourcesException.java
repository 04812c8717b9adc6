package io.mrt.runtime;

/**
 * A stage ran out of memory (Java heap or native memory). The CLI prints the message alone and exits
 * with code 1; the message names the stage, the batch size in use and what to change.
 */
public class OutOfResourcesException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** An exhaustion with a complete, user-facing message; {@code cause} is the original error. */
  public OutOfResourcesException(String message, Throwable cause) {
    super(message, cause);
  }
}
