package io.mrt.onnx;

/**
 * A malformed or unsupported ONNX file. The message is complete and user-facing: it names the file,
 * the node or tensor, what was expected and what was found.
 */
public final class OnnxFormatException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** An error with a complete message. */
  public OnnxFormatException(String message) {
    super(message);
  }

  /** An error with a complete message and its cause. */
  public OnnxFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
