package io.mrt.runtime.config;

import io.mrt.runtime.MrtException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A validated MRT V3 configuration: every key of {@link ConfigSchema} with its value (the file's,
 * a command-line override, or the default). Relative paths resolve against {@link #baseDir()}.
 * Immutable.
 */
public final class MrtConfig {
  private final Path source;
  private final Path baseDir;
  private final Map<String, Object> values;

  MrtConfig(Path source, Path baseDir, Map<String, Object> values) {
    this.source = source;
    this.baseDir = baseDir;
    this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
  }

  /** The file the config was read from ({@code null} for a built-in config). */
  public Path source() {
    return source;
  }

  /** The directory relative paths are resolved against. */
  public Path baseDir() {
    return baseDir;
  }

  /** Every key and its value, {@code SECTION.KEY} to value. */
  public Map<String, Object> values() {
    return values;
  }

  /** The raw value of {@code SECTION.KEY}. */
  public Object get(String path) {
    if (!values.containsKey(path)) {
      throw new IllegalArgumentException("no config key " + path);
    }
    return values.get(path);
  }

  /** A string value ({@code null} if unset). */
  public String string(String path) {
    Object v = get(path);
    return v == null ? null : v.toString();
  }

  /** An int value. */
  public int integer(String path) {
    return ((Number) get(path)).intValue();
  }

  /** A nullable int value. */
  public Integer nullableInt(String path) {
    Object v = get(path);
    return v == null ? null : ((Number) v).intValue();
  }

  /** A nullable double value. */
  public Double nullableDouble(String path) {
    Object v = get(path);
    return v == null ? null : ((Number) v).doubleValue();
  }

  /** A bool value. */
  public boolean bool(String path) {
    return (Boolean) get(path);
  }

  /** A list of ints. */
  @SuppressWarnings("unchecked")
  public List<Integer> ints(String path) {
    return (List<Integer>) get(path);
  }

  /** A list of doubles. */
  @SuppressWarnings("unchecked")
  public List<Double> doubles(String path) {
    return (List<Double>) get(path);
  }

  /** A list of strings. */
  @SuppressWarnings("unchecked")
  public List<String> strings(String path) {
    return (List<String>) get(path);
  }

  /** A structured list value. */
  @SuppressWarnings("unchecked")
  public List<Object> list(String path) {
    Object v = get(path);
    return v == null ? List.of() : (List<Object>) v;
  }

  /** A string map value. */
  @SuppressWarnings("unchecked")
  public Map<String, String> map(String path) {
    return (Map<String, String>) get(path);
  }

  /** A path value resolved against the base directory ({@code ~} expands to the home directory). */
  public Path path(String key) {
    String v = string(key);
    return v == null ? null : resolve(v);
  }

  /** Resolves a path string the way config paths resolve. */
  public Path resolve(String v) {
    if (v.equals("~") || v.startsWith("~/")) {
      return Path.of(System.getProperty("user.home")).resolve(v.length() > 2 ? v.substring(2) : "");
    }
    Path p = Path.of(v);
    return p.isAbsolute() ? p : baseDir.resolve(p).normalize();
  }

  /** The batch size of a stage: its own BATCH, else COMMON.BATCH. */
  public int batch(String section) {
    String key = section + ".BATCH";
    if (values.containsKey(key) && values.get(key) != null) {
      return ((Number) values.get(key)).intValue();
    }
    return integer("COMMON.BATCH");
  }

  /** The model name (required). */
  public String modelName() {
    String n = string("COMMON.MODEL_NAME");
    if (n == null || n.isBlank()) {
      throw new MrtException(where() + "COMMON.MODEL_NAME is required (the model's file stem), found none");
    }
    return n;
  }

  /** The model directory. */
  public Path modelDir() {
    return path("COMMON.MODEL_DIR");
  }

  /** Where stage files go: COMMON.OUTPUT_DIR, else the model directory. */
  public Path outputDir() {
    Path out = path("COMMON.OUTPUT_DIR");
    return out == null ? modelDir() : out;
  }

  /** The stage to run, lower case. */
  public String passName() {
    return string("COMMON.PASS_NAME").toLowerCase(Locale.ROOT);
  }

  /** The resume point, lower case. */
  public String startAfter() {
    return string("COMMON.START_AFTER").toLowerCase(Locale.ROOT);
  }

  /** The input shape with the batch axis (-1) replaced by {@code batch}. */
  public long[] inputShape(int batch) {
    List<Integer> s = ints("PREPARE.INPUT_SHAPE");
    long[] out = new long[s.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = s.get(i) == -1 ? batch : s.get(i);
    }
    return out;
  }

  /** "file: " when the config came from a file, for messages. */
  String where() {
    return source == null ? "" : source + ": ";
  }
}
