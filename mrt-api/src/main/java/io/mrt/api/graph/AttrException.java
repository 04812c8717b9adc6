package io.mrt.api.graph;

/** An attribute is missing, or its string value does not parse as the declared type. */
public final class AttrException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /** An error about one attribute of one node. */
  public AttrException(String message) {
    super(message);
  }
}
