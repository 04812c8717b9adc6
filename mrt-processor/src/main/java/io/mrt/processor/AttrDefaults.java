package io.mrt.processor;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Checks at compile time that a default value parses as its attribute type. The rules are those of
 * the runtime's {@code io.mrt.api.graph.Attrs} parsers (a test checks that both agree), so a
 * default that compiles never fails when an op reads it. {@code None} (MXNet's "not set") is
 * accepted for every type.
 */
final class AttrDefaults {
  private AttrDefaults() {}

  /** Whether {@code value} parses as the {@code AttrType} constant {@code type}. */
  static boolean parses(String type, String value) {
    if (isNone(value)) {
      return true;
    }
    try {
      switch (type) {
        case "BOOL" -> bool(value);
        case "INT" -> integer(value);
        case "LONG" -> Long.parseLong(value.trim());
        case "FLOAT", "DOUBLE" -> number(value);
        case "STRING" -> {
          // every string is a string
        }
        case "INTS" -> {
          for (String item : tupleItems(value)) {
            if (!isNone(item)) {
              integer(item);
            }
          }
        }
        case "LONGS" -> {
          for (String item : tupleItems(value)) {
            Long.parseLong(item.trim());
          }
        }
        case "FLOATS", "DOUBLES" -> {
          for (String item : tupleItems(value)) {
            number(item);
          }
        }
        default -> {
          return false;
        }
      }
      return true;
    } catch (IllegalArgumentException e) { // NumberFormatException included
      return false;
    }
  }

  private static boolean isNone(String v) {
    return v.trim().equals("None");
  }

  private static void bool(String v) {
    switch (v.trim().toLowerCase(Locale.ROOT)) {
      case "true", "1", "false", "0" -> {
        // a bool
      }
      default -> throw new IllegalArgumentException(v);
    }
  }

  /** An int, or a double with an integral value in int range ({@code "2.0"}). */
  private static void integer(String v) {
    try {
      Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      double d = Double.parseDouble(v.trim());
      if (d != Math.rint(d) || Math.abs(d) > Integer.MAX_VALUE) {
        throw e;
      }
    }
  }

  private static void number(String v) {
    switch (v.trim().toLowerCase(Locale.ROOT)) {
      case "inf", "+inf", "infinity", "-inf", "-infinity", "nan" -> {
        // special values
      }
      default -> Double.parseDouble(v.trim().toLowerCase(Locale.ROOT));
    }
  }

  /** The items of {@code "(1, 2)"}, {@code "[1,2]"}, {@code "3"} or {@code "()"}; empty items skipped. */
  private static List<String> tupleItems(String v) {
    String t = v.trim();
    if ((t.startsWith("(") && t.endsWith(")")) || (t.startsWith("[") && t.endsWith("]"))) {
      t = t.substring(1, t.length() - 1).trim();
    } else if (t.startsWith("(") || t.startsWith("[") || t.endsWith(")") || t.endsWith("]")) {
      throw new IllegalArgumentException("unbalanced tuple " + v);
    }
    List<String> items = new ArrayList<>();
    for (String s : t.split(",", -1)) {
      if (!s.trim().isEmpty()) {
        items.add(s.trim());
      }
    }
    return items;
  }
}
