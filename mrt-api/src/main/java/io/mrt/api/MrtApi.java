package io.mrt.api;

/** Facts about this version of the operator API, which plugins are checked against. */
public final class MrtApi {
  /** The version of mrt-api; a plugin declares the range it needs (PF4J's {@code Plugin-Requires}). */
  public static final String VERSION = "0.1.0";

  private MrtApi() {}
}
