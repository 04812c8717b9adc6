package io.mrt.api.registry;

import java.util.Optional;

/** A declared attribute of an op: name, type and default ({@code null} when required). */
public record AttrSpec(String name, AttrType type, String defaultValue) {
  /** The default, if the attribute is optional. */
  public Optional<String> defaultIfAny() {
    return Optional.ofNullable(defaultValue);
  }

  /** Whether a node must carry the attribute. */
  public boolean required() {
    return defaultValue == null;
  }
}
