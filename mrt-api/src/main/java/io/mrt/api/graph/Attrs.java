package io.mrt.api.graph;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The attributes of a node: MXNet's string-to-string map, with typed accessors that parse MXNet's
 * Python-literal spellings ({@code "(3, 3)"}, {@code "[1,1]"}, {@code "True"}, {@code "1e-05"},
 * {@code "None"}). Immutable; {@link #with} returns a copy.
 */
public final class Attrs {
  private static final Attrs EMPTY = new Attrs(Map.of());
  private final Map<String, String> values;

  private Attrs(Map<String, String> values) {
    this.values = values;
  }

  /** No attributes. */
  public static Attrs empty() {
    return EMPTY;
  }

  /** The given map (copied, in its iteration order). */
  public static Attrs of(Map<String, String> values) {
    return values.isEmpty() ? EMPTY : new Attrs(Collections.unmodifiableMap(new LinkedHashMap<>(values)));
  }

  /** Key/value pairs: {@code Attrs.of("kernel", "(3, 3)", "num_filter", "16")}. */
  public static Attrs of(String... keyValues) {
    if (keyValues.length % 2 != 0) {
      throw new IllegalArgumentException("Attrs.of needs key/value pairs, got " + keyValues.length + " strings");
    }
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      m.put(keyValues[i], keyValues[i + 1]);
    }
    return of(m);
  }

  /** The raw map, unmodifiable. */
  public Map<String, String> asMap() {
    return values;
  }

  /** Whether the key is present. */
  public boolean has(String key) {
    return values.containsKey(key);
  }

  /** The raw string, if present. */
  public Optional<String> raw(String key) {
    return Optional.ofNullable(values.get(key));
  }

  /** A copy with {@code key} set to {@code value}. */
  public Attrs with(String key, String value) {
    Map<String, String> m = new LinkedHashMap<>(values);
    m.put(key, value);
    return new Attrs(Collections.unmodifiableMap(m));
  }

  /** A copy without {@code key}. */
  public Attrs without(String key) {
    if (!values.containsKey(key)) {
      return this;
    }
    Map<String, String> m = new LinkedHashMap<>(values);
    m.remove(key);
    return of(m);
  }

  /** A copy in which every key of {@code defaults} that is absent here takes the default. */
  public Attrs withDefaults(Map<String, String> defaults) {
    Map<String, String> m = new LinkedHashMap<>(values);
    defaults.forEach(m::putIfAbsent);
    return of(m);
  }

  private String require(String key) {
    String v = values.get(key);
    if (v == null) {
      throw new AttrException("missing attribute '" + key + "'");
    }
    return v;
  }

  /** The string value; a missing key is an {@link AttrException}. */
  public String getString(String key) {
    return require(key);
  }

  /** The string value or {@code dflt}. */
  public String getString(String key, String dflt) {
    return values.getOrDefault(key, dflt);
  }

  /** An int; a missing key or a bad value is an {@link AttrException}. */
  public int getInt(String key) {
    return parseInt(key, require(key));
  }

  /** An int or {@code dflt} when absent or {@code None}. */
  public int getInt(String key, int dflt) {
    String v = values.get(key);
    return v == null || isNone(v) ? dflt : parseInt(key, v);
  }

  /** A long; a missing key or a bad value is an {@link AttrException}. */
  public long getLong(String key) {
    return parseLong(key, require(key));
  }

  /** A double (MXNet's float attributes); a missing key is an {@link AttrException}. */
  public double getDouble(String key) {
    return parseDouble(key, require(key));
  }

  /** A double or {@code dflt} when absent or {@code None}. */
  public double getDouble(String key, double dflt) {
    String v = values.get(key);
    return v == null || isNone(v) ? dflt : parseDouble(key, v);
  }

  /** A bool ({@code True/False/true/false/1/0}); a missing key is an {@link AttrException}. */
  public boolean getBool(String key) {
    return parseBool(key, require(key));
  }

  /** A bool or {@code dflt} when absent. */
  public boolean getBool(String key, boolean dflt) {
    String v = values.get(key);
    return v == null || isNone(v) ? dflt : parseBool(key, v);
  }

  /** An int tuple such as {@code "(3, 3)"}; a single number gives a 1-tuple. */
  public int[] getInts(String key) {
    return parseInts(key, require(key));
  }

  /** An int tuple or {@code dflt} when absent or {@code None}. */
  public int[] getInts(String key, int[] dflt) {
    String v = values.get(key);
    return v == null || isNone(v) ? dflt : parseInts(key, v);
  }

  /** A long tuple; a missing key is an {@link AttrException}. */
  public long[] getLongs(String key) {
    return parseLongs(key, require(key));
  }

  /** A double tuple; a missing key is an {@link AttrException}. */
  public double[] getDoubles(String key) {
    return parseDoubles(key, require(key));
  }

  /** Whether a value is Python's {@code None}. */
  public static boolean isNone(String v) {
    return v.trim().equals("None");
  }

  /** Parses an int, naming the key on failure. */
  public static int parseInt(String key, String v) {
    try {
      return Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      try {
        double d = Double.parseDouble(v.trim());
        if (d == Math.rint(d) && Math.abs(d) <= Integer.MAX_VALUE) {
          return (int) d;
        }
      } catch (NumberFormatException ignored) {
        // reported below
      }
      throw new AttrException("attribute '" + key + "': expected an integer, found '" + shown(v) + "'");
    }
  }

  /** Parses a long, naming the key on failure. */
  public static long parseLong(String key, String v) {
    try {
      return Long.parseLong(v.trim());
    } catch (NumberFormatException e) {
      throw new AttrException("attribute '" + key + "': expected an integer, found '" + shown(v) + "'");
    }
  }

  /** Parses a double ({@code inf}, {@code -inf}, {@code nan} included), naming the key on failure. */
  public static double parseDouble(String key, String v) {
    String t = v.trim().toLowerCase(Locale.ROOT);
    switch (t) {
      case "inf", "+inf", "infinity" -> {
        return Double.POSITIVE_INFINITY;
      }
      case "-inf", "-infinity" -> {
        return Double.NEGATIVE_INFINITY;
      }
      case "nan" -> {
        return Double.NaN;
      }
      default -> {
        try {
          return Double.parseDouble(t);
        } catch (NumberFormatException e) {
          throw new AttrException("attribute '" + key + "': expected a number, found '" + shown(v) + "'");
        }
      }
    }
  }

  /** Parses a bool, naming the key on failure. */
  public static boolean parseBool(String key, String v) {
    switch (v.trim().toLowerCase(Locale.ROOT)) {
      case "true", "1" -> {
        return true;
      }
      case "false", "0" -> {
        return false;
      }
      default -> throw new AttrException("attribute '" + key + "': expected True or False, found '" + shown(v) + "'");
    }
  }

  /** Splits a tuple literal {@code "(1, 2)"}, {@code "[1,2]"}, {@code "3"} or {@code "()"} into its items. */
  public static List<String> tupleItems(String key, String v) {
    String t = v.trim();
    if ((t.startsWith("(") && t.endsWith(")")) || (t.startsWith("[") && t.endsWith("]"))) {
      t = t.substring(1, t.length() - 1).trim();
    } else if (t.startsWith("(") || t.startsWith("[") || t.endsWith(")") || t.endsWith("]")) {
      throw new AttrException("attribute '" + key + "': unbalanced tuple '" + shown(v) + "'");
    }
    List<String> items = new ArrayList<>();
    if (t.isEmpty()) {
      return items;
    }
    for (String s : t.split(",", -1)) {
      String item = s.trim();
      if (item.isEmpty()) {
        continue; // "(3,)"
      }
      items.add(item);
    }
    return items;
  }

  /** Parses an int tuple, naming the key on failure. */
  public static int[] parseInts(String key, String v) {
    List<String> items = tupleItems(key, v);
    int[] out = new int[items.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = isNone(items.get(i)) ? 0 : parseInt(key, items.get(i));
    }
    return out;
  }

  /** Parses a long tuple, naming the key on failure. */
  public static long[] parseLongs(String key, String v) {
    List<String> items = tupleItems(key, v);
    long[] out = new long[items.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = parseLong(key, items.get(i));
    }
    return out;
  }

  /** Parses a double tuple, naming the key on failure. */
  public static double[] parseDoubles(String key, String v) {
    List<String> items = tupleItems(key, v);
    double[] out = new double[items.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = parseDouble(key, items.get(i));
    }
    return out;
  }

  /** The longest attribute value quoted in a message before it is abbreviated. */
  static final int MAX_QUOTE = 120;

  /** {@code v} as quoted in a message: its first {@value #MAX_QUOTE} characters and its length when longer. */
  static String shown(String v) {
    return v.length() <= MAX_QUOTE ? v : v.substring(0, MAX_QUOTE) + "... (" + v.length() + " characters)";
  }

  /** Formats an int tuple as MXNet writes it: {@code (1, 2)}; a 1-tuple is {@code (3,)}. */
  public static String tuple(int... v) {
    StringBuilder b = new StringBuilder("(");
    for (int i = 0; i < v.length; i++) {
      if (i > 0) {
        b.append(", ");
      }
      b.append(v[i]);
    }
    if (v.length == 1) {
      b.append(',');
    }
    return b.append(')').toString();
  }

  /** Formats a long tuple as MXNet writes it. */
  public static String tuple(long... v) {
    StringBuilder b = new StringBuilder("(");
    for (int i = 0; i < v.length; i++) {
      if (i > 0) {
        b.append(", ");
      }
      b.append(v[i]);
    }
    if (v.length == 1) {
      b.append(',');
    }
    return b.append(')').toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Attrs a && values.equals(a.values);
  }

  @Override
  public int hashCode() {
    return values.hashCode();
  }

  @Override
  public String toString() {
    return values.toString();
  }
}
