package io.mrt.runtime;

/**
 * Bad input or usage: a file, node or key that is not what it must be. The CLI prints the message
 * alone and exits with code 2. The message names the file, node or key, what was expected and what
 * was found.
 */
public class MrtException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** An error with a complete, user-facing message. */
  public MrtException(String message) {
    super(message);
  }

  /** An error with a complete, user-facing message and its cause. */
  public MrtException(String message, Throwable cause) {
    super(message, cause);
  }
}
