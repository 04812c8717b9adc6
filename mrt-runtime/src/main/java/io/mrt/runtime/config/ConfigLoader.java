package io.mrt.runtime.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import io.mrt.runtime.InputLimits;
import io.mrt.runtime.MrtException;
import io.mrt.runtime.config.ConfigKey.Type;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * Reads an MRT V3 YAML file, applies {@code --section.key value} overrides, checks every section,
 * key and value type, and fills the defaults. An unknown key is an error that names it and
 * suggests the closest valid one.
 */
public final class ConfigLoader {
  /** The largest config file read. */
  static final long MAX_BYTES = 4L << 20;
  private static final Set<String> MRT_LEVELS = Set.of("debug", "info", "warning", "warn", "error", "critical");
  private static final ObjectMapper YAML = new ObjectMapper(yamlFactory());

  /**
   * The YAML reader: nesting bounded by {@link InputLimits#MAX_DEPTH}, documents by
   * {@link #MAX_BYTES}, no aliases expanded beyond a few, and a key repeated in one map refused
   * (YAML says keys are unique; the silent "last one wins" hides typos).
   */
  private static YAMLFactory yamlFactory() {
    LoaderOptions options = new LoaderOptions();
    options.setNestingDepthLimit(InputLimits.MAX_DEPTH);
    options.setCodePointLimit((int) MAX_BYTES);
    options.setMaxAliasesForCollections(16);
    options.setAllowDuplicateKeys(false);
    return YAMLFactory.builder()
        .loaderOptions(options)
        .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(InputLimits.MAX_DEPTH)
            .maxNumberLength(64).build())
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .build();
  }

  private ConfigLoader() {}

  /** Reads {@code file} and applies {@code overrides} ({@code --section.key value} pairs). */
  public static MrtConfig load(Path file, List<String> overrides) {
    if (!java.nio.file.Files.exists(file)) {
      throw new MrtException(file + ": config file not found");
    }
    String text = InputLimits.readUtf8(file, MAX_BYTES, "config file");
    Object tree = parseYaml(text, file + ": ");
    Path abs = file.toAbsolutePath().normalize();
    return build(abs, abs.getParent(), tree, overrides);
  }

  /** Parses YAML text; every refusal (syntax, depth, duplicate key, limit) names {@code where} and the line. */
  private static Object parseYaml(String text, String where) {
    try {
      return YAML.readValue(text, Object.class);
    } catch (JacksonException e) {
      String line = InputLimits.where(e.getLocation());
      String msg = e.getOriginalMessage();
      if (msg == null || msg.isBlank()) {
        msg = e.getCause() != null && e.getCause().getMessage() != null ? e.getCause().getMessage() : e.toString();
      }
      throw new MrtException(where + (line.isEmpty() ? "" : "at " + line) + "not valid YAML: "
          + InputLimits.abbreviate(msg.lines().findFirst().orElse(msg)));
    } catch (IOException | RuntimeException e) {
      throw new MrtException(where + "not valid YAML: " + InputLimits.abbreviate(String.valueOf(e.getMessage())), e);
    }
  }

  /** A config from an in-memory tree (sections of key/value maps), for built-in defaults and tests. */
  public static MrtConfig fromMap(Path baseDir, Map<String, ?> tree, List<String> overrides) {
    return build(null, baseDir.toAbsolutePath().normalize(), tree, overrides);
  }

  private static MrtConfig build(Path source, Path baseDir, Object tree, List<String> overrides) {
    String where = source == null ? "" : source + ": ";
    Map<String, Object> values = new LinkedHashMap<>();
    for (ConfigKey k : ConfigSchema.keys()) {
      values.put(k.path(), k.defaultValue());
    }
    if (tree != null) {
      if (!(tree instanceof Map<?, ?> sections)) {
        throw new MrtException(where + "expected a map of sections (COMMON, PREPARE, ...), found " + kind(tree));
      }
      for (Map.Entry<?, ?> s : sections.entrySet()) {
        String section = String.valueOf(s.getKey());
        String upper = section.toUpperCase(Locale.ROOT);
        if (!ConfigSchema.SECTIONS.contains(upper)) {
          throw new MrtException(where + "unknown section '" + section + "'; did you mean "
              + ConfigSchema.closestSection(section) + "? Valid sections: " + String.join(", ", ConfigSchema.SECTIONS));
        }
        if (s.getValue() == null) {
          continue;
        }
        if (!(s.getValue() instanceof Map<?, ?> keys)) {
          throw new MrtException(where + "section " + upper + ": expected a map of keys, found " + kind(s.getValue()));
        }
        for (Map.Entry<?, ?> e : keys.entrySet()) {
          put(where, values, upper, String.valueOf(e.getKey()), e.getValue());
        }
      }
    }
    for (int i = 0; i < overrides.size(); i++) {
      String flag = overrides.get(i);
      String body;
      String raw;
      if (!flag.startsWith("--")) {
        throw new MrtException("command line: expected an override --section.key value, found '" + flag + "'");
      }
      int eq = flag.indexOf('=');
      if (eq > 0) {
        body = flag.substring(2, eq);
        raw = flag.substring(eq + 1);
      } else {
        if (i + 1 >= overrides.size()) {
          throw new MrtException("command line: override " + flag + " needs a value");
        }
        body = flag.substring(2);
        raw = overrides.get(++i);
      }
      int dot = body.indexOf('.');
      if (dot <= 0) {
        throw new MrtException("command line: expected --section.key, found '" + flag + "'");
      }
      String section = body.substring(0, dot).toUpperCase(Locale.ROOT);
      if (!ConfigSchema.SECTIONS.contains(section)) {
        throw new MrtException("command line: unknown section in '" + flag + "'; did you mean "
            + ConfigSchema.closestSection(section).toLowerCase(Locale.ROOT) + "?");
      }
      Object parsed;
      try {
        parsed = YAML.readValue(raw, Object.class);
      } catch (IOException | RuntimeException e) {
        parsed = raw;
      }
      put("command line: ", values, section, body.substring(dot + 1), parsed);
    }
    check(where, values);
    return new MrtConfig(source, baseDir, values);
  }

  private static final List<String> PASSES = List.of("all", "prepare", "calibrate", "quantize", "evaluate", "compile");
  private static final List<String> RESUME = List.of("initial", "prepare", "calibrate", "quantize");
  private static final List<String> METHODS = List.of("abs_max", "lambda", "percentile", "kl");
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ConfigLoader.class);

  private static void oneOf(String where, Map<String, Object> values, String key, List<String> allowed) {
    Object v = values.get(key);
    if (v != null && !allowed.contains(v.toString().toLowerCase(Locale.ROOT))) {
      throw new MrtException(where + key + ": expected one of " + String.join(", ", allowed) + ", found '" + v + "'");
    }
  }

  private static void check(String where, Map<String, Object> values) {
    oneOf(where, values, "COMMON.PASS_NAME", PASSES);
    oneOf(where, values, "COMMON.START_AFTER", RESUME);
    oneOf(where, values, "CALIBRATE.METHOD", METHODS);
    // DATASET_NAME is checked against the dataset catalogue (built-in and plugin data sets) when
    // the data is opened
    oneOf(where, values, "CALIBRATE.DATASET_SPLIT", List.of("train", "test"));
    oneOf(where, values, "CALIBRATE.LAYOUT", List.of("nchw", "nhwc"));
    if (!validLevel(values.get("COMMON.VERBOSITY").toString())) {
      throw new MrtException(where + "COMMON.VERBOSITY: expected debug, info, warning or error, found '"
          + values.get("COMMON.VERBOSITY") + "'");
    }
    List<String> gpu = new ArrayList<>();
    for (String dev : List.of("COMMON.DEVICE_TYPE", "PREPARE.DEVICE_TYPE", "CALIBRATE.DEVICE_TYPE",
        "QUANTIZE.DEVICE_TYPE", "EVALUATE.DEVICE_TYPE", "COMPILE.DEVICE_TYPE")) {
      Object v = values.get(dev);
      if (v == null || v.toString().equalsIgnoreCase("cpu")) {
        continue;
      }
      if (!v.toString().equalsIgnoreCase("gpu")) {
        throw new MrtException(where + dev + ": expected cpu or gpu, found '" + v + "'");
      }
      gpu.add(dev);
    }
    if (!gpu.isEmpty()) {
      // MRT's configs name gpu; no GPU engine is wired in, so they run on the CPU
      LOG.warn("{}{}: gpu requested, running on the CPU (no GPU engine is available)", where, String.join(", ", gpu));
    }
    @SuppressWarnings("unchecked")
    List<Integer> shape = (List<Integer>) values.get("PREPARE.INPUT_SHAPE");
    long batchAxes = shape.stream().filter(d -> d == -1).count();
    if (batchAxes != 1 || shape.stream().anyMatch(d -> d == 0 || d < -1)) {
      throw new MrtException(where + "PREPARE.INPUT_SHAPE: expected positive dimensions and exactly one -1 "
          + "(the batch axis), found " + shape);
    }
    for (String b : List.of("COMMON.BATCH", "CALIBRATE.BATCH", "EVALUATE.BATCH", "COMPILE.BATCH", "CALIBRATE.NUM_CALIB")) {
      Object v = values.get(b);
      if (v != null && ((Number) v).intValue() < 1) {
        throw new MrtException(where + b + ": expected a positive integer, found " + v);
      }
    }
    Object iters = values.get("EVALUATE.ITER_NUM");
    if (((Number) iters).intValue() < -1) {
      throw new MrtException(where + "EVALUATE.ITER_NUM: expected -1 (all), 0 (skip) or a positive count, found " + iters);
    }
    for (String p : List.of("QUANTIZE.INPUT_PRECISION", "QUANTIZE.OUTPUT_PRECISION")) {
      Object v = values.get(p);
      if (v != null && (((Number) v).intValue() < 1 || ((Number) v).intValue() > 32)) {
        throw new MrtException(where + p + ": expected a precision in [1, 32], found " + v);
      }
    }
  }

  private static void put(String where, Map<String, Object> values, String section, String name, Object raw) {
    String key = name.toUpperCase(Locale.ROOT);
    ConfigKey k = ConfigSchema.key(section + "." + key).orElseThrow(() -> new MrtException(where
        + "unknown key " + section + "." + name + "; did you mean " + section + "."
        + ConfigSchema.closest(section, name) + "?"));
    values.put(k.path(), convert(where, k, raw));
  }

  private static boolean isNull(Object v) {
    return v == null || (v instanceof String s && (s.equals("None") || s.equals("null") || s.equals("~")));
  }

  static Object convert(String where, ConfigKey k, Object v) {
    String expected = ConfigKey.describe(k.type());
    switch (k.type()) {
      case STRING -> {
        if (v instanceof String || v instanceof Number || v instanceof Boolean) {
          return v.toString();
        }
      }
      case NULLABLE_STRING -> {
        if (isNull(v)) {
          return null;
        }
        if (v instanceof String || v instanceof Number) {
          return v.toString();
        }
      }
      case INT -> {
        if (isInteger(v)) {
          return toInt(where, k.path(), v);
        }
      }
      case NULLABLE_INT -> {
        if (isNull(v)) {
          return null;
        }
        if (isInteger(v)) {
          return toInt(where, k.path(), v);
        }
      }
      case NULLABLE_DOUBLE -> {
        if (isNull(v)) {
          return null;
        }
        if (v instanceof Number n) {
          return n.doubleValue();
        }
      }
      case BOOL -> {
        if (v instanceof Boolean) {
          return v;
        }
        if (v instanceof String s && (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false"))) {
          return Boolean.parseBoolean(s);
        }
      }
      case INT_LIST, DOUBLE_LIST, STRING_LIST -> {
        if (isNull(v)) {
          return List.of();
        }
        if (v instanceof List<?> list) {
          List<Object> out = new ArrayList<>();
          for (Object item : list) {
            Object c = switch (k.type()) {
              case INT_LIST -> isInteger(item) ? toInt(where, k.path() + "[" + out.size() + "]", item) : null;
              case DOUBLE_LIST -> item instanceof Number n ? n.doubleValue() : null;
              default -> item instanceof String || item instanceof Number ? item.toString() : null;
            };
            if (c == null) {
              throw new MrtException(where + k.path() + ": expected " + expected + ", found the item " + show(item));
            }
            out.add(c);
          }
          return List.copyOf(out);
        }
      }
      case LIST -> {
        if (isNull(v)) {
          return null;
        }
        if (v instanceof List<?>) {
          return v;
        }
      }
      case STRING_MAP -> {
        if (isNull(v)) {
          return Map.of();
        }
        if (v instanceof Map<?, ?> m) {
          Map<String, String> out = new LinkedHashMap<>();
          for (Map.Entry<?, ?> e : m.entrySet()) {
            if (!(e.getKey() instanceof String name) || !(e.getValue() instanceof String value)) {
              throw new MrtException(where + k.path() + ": expected " + expected + ", found the entry "
                  + InputLimits.abbreviate(e.getKey()) + ": " + show(e.getValue()));
            }
            out.put(name, value);
          }
          return Map.copyOf(out);
        }
      }
      default -> throw new IllegalStateException(k.type().toString());
    }
    throw new MrtException(where + k.path() + ": expected " + expected + ", found " + show(v));
  }

  private static String show(Object v) {
    return v == null ? "null" : kind(v) + " " + InputLimits.abbreviate(v);
  }

  private static boolean isInteger(Object v) {
    return v instanceof Integer || v instanceof Long || v instanceof BigInteger;
  }

  /** An integer that must fit 32 bits: a larger value is refused, never wrapped. */
  private static int toInt(String where, String key, Object v) {
    if (v instanceof BigInteger b && b.bitLength() > 63) {
      throw new MrtException(where + key + ": expected an integer in [" + Integer.MIN_VALUE + ", "
          + Integer.MAX_VALUE + "], found " + InputLimits.abbreviate(b));
    }
    return InputLimits.checkInt(((Number) v).longValue(), Integer.MIN_VALUE, Integer.MAX_VALUE, where + key);
  }

  private static String kind(Object v) {
    if (v instanceof Map) {
      return "a map";
    }
    if (v instanceof List) {
      return "a list";
    }
    if (v instanceof String) {
      return "the string";
    }
    if (v instanceof Number) {
      return "the number";
    }
    if (v instanceof Boolean) {
      return "the bool";
    }
    return v.getClass().getSimpleName();
  }

  /** Whether a VERBOSITY value is one MRT accepts. */
  static boolean validLevel(String level) {
    return MRT_LEVELS.contains(level.toLowerCase(Locale.ROOT));
  }
}
