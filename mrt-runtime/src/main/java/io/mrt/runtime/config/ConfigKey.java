package io.mrt.runtime.config;

import java.util.List;

/**
 * One configuration key: its section, name, type, default and meaning. The table of keys in
 * {@link ConfigSchema} is the single source for validation, defaults and the config reference in
 * the user guide.
 */
public record ConfigKey(String section, String name, Type type, Object defaultValue, String help) {
  /** The value types a key may have. */
  public enum Type {
    /** A string. */
    STRING,
    /** A string or null. */
    NULLABLE_STRING,
    /** An integer. */
    INT,
    /** An integer or null (inherit / default). */
    NULLABLE_INT,
    /** A number or null. */
    NULLABLE_DOUBLE,
    /** true or false. */
    BOOL,
    /** A list of integers. */
    INT_LIST,
    /** A list of numbers. */
    DOUBLE_LIST,
    /** A list of strings. */
    STRING_LIST,
    /** Any YAML list (structured values such as THRESHOLDS). */
    LIST,
    /** A map of string to string. */
    STRING_MAP
  }

  /** {@code SECTION.KEY}. */
  public String path() {
    return section + "." + name;
  }

  /** Names of the types, as the error messages print them. */
  static String describe(Type t) {
    return switch (t) {
      case STRING -> "a string";
      case NULLABLE_STRING -> "a string or null";
      case INT -> "an integer";
      case NULLABLE_INT -> "an integer or null";
      case NULLABLE_DOUBLE -> "a number or null";
      case BOOL -> "true or false";
      case INT_LIST -> "a list of integers";
      case DOUBLE_LIST -> "a list of numbers";
      case STRING_LIST -> "a list of strings";
      case LIST -> "a list";
      case STRING_MAP -> "a map of names to names";
    };
  }

  /** An immutable empty list default. */
  static List<Object> none() {
    return List.of();
  }
}
