package io.mrt.api.hook;

/** A hook refuses a node: bad attributes, unsupported shapes, out-of-range values. */
public final class OpException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final String nodeName;
  private final String op;

  /** An error about node {@code nodeName} of op {@code op}. */
  public OpException(String nodeName, String op, String message) {
    super("node " + nodeName + " (" + op + "): " + message);
    this.nodeName = nodeName;
    this.op = op;
  }

  /** The node's name. */
  public String nodeName() {
    return nodeName;
  }

  /** The node's op. */
  public String op() {
    return op;
  }
}
