package io.mrt.api.data;

/**
 * A data set cannot be read: a missing or malformed file. The message names the file and what was
 * expected against what was found; the host prefixes the data set's name and reports it as a bad
 * input (exit 2, no stack trace).
 */
public class DatasetException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** A bad-input failure with its message. */
  public DatasetException(String message) {
    super(message);
  }

  /** A bad-input failure with its message and cause (e.g. the IOException). */
  public DatasetException(String message, Throwable cause) {
    super(message, cause);
  }
}
