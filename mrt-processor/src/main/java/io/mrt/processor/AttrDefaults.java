package io.mrt.processor;

import java.util.Locale;

/** Checks at compile time that a default value parses as its attribute type (MXNet spellings). */
final class AttrDefaults {
  private AttrDefaults() {}

  static boolean parses(String type, String value) {
    String v = value.trim();
    if (v.equals("None")) {
      return !type.equals("BOOL");
    }
    try {
      switch (type) {
        case "BOOL" -> {
          String b = v.toLowerCase(Locale.ROOT);
          return b.equals("true") || b.equals("false") || b.equals("1") || b.equals("0");
        }
        case "INT" -> Integer.parseInt(v);
        case "LONG" -> Long.parseLong(v);
        case "FLOAT", "DOUBLE" -> number(v);
        case "STRING" -> {
          return true;
        }
        default -> {
          String t = v;
          if ((t.startsWith("(") && t.endsWith(")")) || (t.startsWith("[") && t.endsWith("]"))) {
            t = t.substring(1, t.length() - 1);
          }
          for (String item : t.split(",")) {
            String s = item.trim();
            if (s.isEmpty() || s.equals("None")) {
              continue;
            }
            if (type.equals("INTS")) {
              Integer.parseInt(s);
            } else if (type.equals("LONGS")) {
              Long.parseLong(s);
            } else {
              number(s);
            }
          }
        }
      }
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private static void number(String v) {
    String t = v.toLowerCase(Locale.ROOT);
    if (t.equals("inf") || t.equals("-inf") || t.equals("nan")) {
      return;
    }
    Double.parseDouble(t);
  }
}
