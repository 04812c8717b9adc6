package io.mrt.runtime.exec.cvm;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The parsed {@code op_attrs} of one operator node, and the schemas that parse them the way the
 * reference runtime's dmlc {@code Parameter::Init} does: every key must be a declared field,
 * required fields must be present, ints are whole decimal int32 (surrounding blanks allowed),
 * bools are {@code true/false/1/0} in any case, tuples are {@code (a, b)}, {@code [a, b]} or a single
 * number (a trailing comma is allowed), optional ints accept {@code None}.
 */
final class Attrs {
  /** The attribute kinds of CVM operator parameters. */
  enum Kind { INT, BOOL, TUPLE, OPT_INT, STRING, DTYPE }

  /** One declared field. */
  record Field(String name, Kind kind, Object def, boolean required) {
  }

  /** The declared fields of one operator's parameter struct. */
  static final class Schema {
    private final Map<String, Field> fields = new LinkedHashMap<>();

    Schema reqInt(String n) {
      return add(new Field(n, Kind.INT, null, true));
    }

    Schema optInt(String n, int def) {
      return add(new Field(n, Kind.INT, def, false));
    }

    Schema bool(String n, boolean def) {
      return add(new Field(n, Kind.BOOL, def, false));
    }

    Schema reqTuple(String n) {
      return add(new Field(n, Kind.TUPLE, null, true));
    }

    Schema tuple(String n, long... def) {
      return add(new Field(n, Kind.TUPLE, def, false));
    }

    Schema noneInt(String n) {
      return add(new Field(n, Kind.OPT_INT, null, false));
    }

    Schema str(String n, String def) {
      return add(new Field(n, Kind.STRING, def, false));
    }

    Schema dtype(String n, String def) {
      return add(new Field(n, Kind.DTYPE, def, false));
    }

    private Schema add(Field f) {
      fields.put(f.name(), f);
      return this;
    }

    /** Parses a dict; {@code fail} turns a message into the load error of the node. */
    Attrs parse(Map<String, String> dict, java.util.function.Function<String, RuntimeException> fail) {
      Map<String, Object> v = new HashMap<>();
      for (Map.Entry<String, String> e : dict.entrySet()) {
        Field f = fields.get(e.getKey());
        if (f == null) {
          throw fail.apply("unknown attribute '" + e.getKey() + "' (possible attributes: "
              + String.join(", ", fields.keySet()) + ")");
        }
        v.put(f.name(), value(f, e.getValue(), fail));
      }
      for (Field f : fields.values()) {
        if (!v.containsKey(f.name())) {
          if (f.required()) {
            throw fail.apply("required attribute '" + f.name() + "' is missing");
          }
          v.put(f.name(), f.kind() == Kind.TUPLE && f.def() != null ? ((long[]) f.def()).clone() : f.def());
        }
      }
      return new Attrs(v, dict);
    }
  }

  private static final Set<String> DTYPES = Set.of("float16", "float32", "float64", "uint8", "uint16", "uint32",
      "uint64", "int8", "int16", "int32", "int64");

  private final Map<String, Object> values;
  private final Map<String, String> raw;

  private Attrs(Map<String, Object> values, Map<String, String> raw) {
    this.values = values;
    this.raw = raw;
  }

  /** The attrs of an operator without parameters. */
  static Attrs none() {
    return new Attrs(Map.of(), Map.of());
  }

  int i(String n) {
    return (Integer) values.get(n);
  }

  boolean b(String n) {
    return (Boolean) values.get(n);
  }

  long[] t(String n) {
    return (long[]) values.get(n);
  }

  /** An optional int; null for None. */
  Integer opt(String n) {
    return (Integer) values.get(n);
  }

  String s(String n) {
    return (String) values.get(n);
  }

  /** The attrs as written in the model. */
  Map<String, String> raw() {
    return raw;
  }

  private static Object value(Field f, String s, java.util.function.Function<String, RuntimeException> fail) {
    String bad = "attribute '" + f.name() + "': expected ";
    switch (f.kind()) {
      case INT: {
        Long x = parseLong(s.strip());
        if (x == null || x < Integer.MIN_VALUE || x > Integer.MAX_VALUE) {
          throw fail.apply(bad + "an int32, found '" + s + "'");
        }
        return x.intValue();
      }
      case BOOL: {
        switch (s.toLowerCase(Locale.ROOT)) {
          case "true": case "1": return Boolean.TRUE;
          case "false": case "0": return Boolean.FALSE;
          default: throw fail.apply(bad + "a bool (true/false/1/0), found '" + s + "'");
        }
      }
      case TUPLE: {
        long[] t = parseTuple(s);
        if (t == null) {
          throw fail.apply(bad + "a tuple like (1, 2), [1, 2] or 1, found '" + s + "'");
        }
        return t;
      }
      case OPT_INT: {
        if (s.strip().equals("None")) {
          return null;
        }
        Long x = parseLong(s.strip());
        if (x == null || x < Integer.MIN_VALUE || x > Integer.MAX_VALUE) {
          throw fail.apply(bad + "an int32 or None, found '" + s + "'");
        }
        return x.intValue();
      }
      case DTYPE:
        if (!DTYPES.contains(s) && !("same".equals(s) && "same".equals(f.def()))) {
          throw fail.apply(bad + "one of " + DTYPES + ("same".equals(f.def()) ? " or same" : "") + ", found '"
              + s + "'");
        }
        return s;
      case STRING:
      default:
        return s;
    }
  }

  /** A whole decimal integer with optional sign, or null. */
  static Long parseLong(String s) {
    if (s.isEmpty() || s.length() > 20) {
      return null;
    }
    int i = 0;
    if (s.charAt(0) == '+' || s.charAt(0) == '-') {
      i = 1;
    }
    if (i == s.length()) {
      return null;
    }
    for (int j = i; j < s.length(); j++) {
      if (!Character.isDigit(s.charAt(j)) || s.charAt(j) > '9') {
        return null;
      }
    }
    try {
      return Long.parseLong(s.charAt(0) == '+' ? s.substring(1) : s);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** Parses an nnvm tuple: a single number, or (a, b, ...) / [a, b, ...] with an optional trailing comma. */
  static long[] parseTuple(String s) {
    String t = s.strip();
    if (t.isEmpty()) {
      return null;
    }
    char c0 = t.charAt(0);
    if (c0 != '(' && c0 != '[') {
      Long x = parseLong(t);
      return x == null ? null : new long[] {x};
    }
    char last = t.charAt(t.length() - 1);
    if (t.length() < 2 || (last != ')' && last != ']')) {
      return null;
    }
    String body = t.substring(1, t.length() - 1).strip();
    if (body.isEmpty()) {
      return new long[0];
    }
    if (body.endsWith(",")) {
      body = body.substring(0, body.length() - 1);
    }
    List<Long> out = new ArrayList<>();
    for (String part : body.split(",", -1)) {
      String p = part.strip();
      if (p.endsWith("L")) {
        p = p.substring(0, p.length() - 1);
      }
      Long x = parseLong(p);
      if (x == null) {
        return null;
      }
      out.add(x);
    }
    long[] r = new long[out.size()];
    for (int i = 0; i < r.length; i++) {
      r[i] = out.get(i);
    }
    return r;
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder("{");
    values.forEach((k, v) -> b.append(k).append('=').append(v instanceof long[] ? Arrays.toString((long[]) v) : v)
        .append(' '));
    return b.append('}').toString();
  }
}
