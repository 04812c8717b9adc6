package io.mrt.runtime.plugin;

import io.mrt.runtime.InputLimits;
import io.mrt.runtime.MrtException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Optional pinning of plugin jars by SHA-256, so that a run refuses a jar that changed since it
 * was reviewed. The pins come from the config key {@value #CONFIG_KEY} (jar file name to hex
 * digest) when it is set, else from the lock file {@value #LOCK_FILE} of the plugins directory
 * (written by {@code mrt plugins --lock}, in the {@code sha256sum} format: {@code <hex>  <jar>}).
 * Without either, jars are not pinned.
 *
 * @param source where the pins come from, for messages (empty pins: {@code null})
 * @param digests jar file name to lower-case hex SHA-256
 */
public record PluginPins(String source, Map<String, String> digests) {
  /** The lock file's name inside the plugins directory. */
  public static final String LOCK_FILE = "plugins.lock";
  /** The config key pinning jars by file name. */
  public static final String CONFIG_KEY = "COMMON.PLUGINS_SHA256";
  /** The largest lock file read. */
  static final long MAX_LOCK_BYTES = 1L << 20;
  /** The largest plugin jar hashed. */
  static final long MAX_JAR_BYTES = 512L << 20;
  private static final Pattern HEX = Pattern.compile("[0-9a-f]{64}");
  private static final Pattern LINE = Pattern.compile("([0-9a-fA-F]{64}) [ *](.+)");

  /** No pinning. */
  public static PluginPins none() {
    return new PluginPins(null, Map.of());
  }

  /** Whether any jar is pinned (then every jar must be). */
  public boolean active() {
    return source != null;
  }

  /**
   * The pins of a run: {@code configured} (the value of {@value #CONFIG_KEY}) when not empty, else
   * the lock file of {@code dir} when it exists, else none.
   */
  public static PluginPins of(Map<String, String> configured, Path dir) {
    if (configured != null && !configured.isEmpty()) {
      Map<String, String> m = new LinkedHashMap<>();
      configured.forEach((jar, hex) -> {
        String h = hex.trim().toLowerCase(Locale.ROOT);
        if (!HEX.matcher(h).matches()) {
          throw new MrtException(CONFIG_KEY + ": " + InputLimits.abbreviate(jar) + ": expected 64 hex digits "
              + "(a SHA-256), found '" + InputLimits.abbreviate(hex) + "'");
        }
        m.put(jar, h);
      });
      return new PluginPins("config key " + CONFIG_KEY, Map.copyOf(m));
    }
    Path lock = dir == null ? null : dir.resolve(LOCK_FILE);
    if (lock == null || !Files.exists(lock)) {
      return none();
    }
    return new PluginPins(lock.toString(), parseLock(lock));
  }

  private static Map<String, String> parseLock(Path lock) {
    String text = InputLimits.readUtf8(lock, MAX_LOCK_BYTES, "plugin lock file");
    Map<String, String> m = new LinkedHashMap<>();
    List<String> lines = text.lines().toList();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      Matcher mt = LINE.matcher(line);
      if (!mt.matches()) {
        throw new MrtException(lock + ": line " + (i + 1) + ": expected '<64 hex digits>  <jar file name>', found '"
            + InputLimits.abbreviate(line) + "'");
      }
      if (m.put(mt.group(2), mt.group(1).toLowerCase(Locale.ROOT)) != null) {
        throw new MrtException(lock + ": line " + (i + 1) + ": the jar " + InputLimits.abbreviate(mt.group(2))
            + " is listed twice");
      }
    }
    return Map.copyOf(m);
  }

  /** Why {@code jar} (whose digest is {@code sha256}) may not load, or {@code null} when it may. */
  String refusal(Path jar, String sha256) {
    if (!active()) {
      return null;
    }
    String name = jar.getFileName().toString();
    String want = digests.get(name);
    if (want == null) {
      return "the jar is not pinned in " + source + " (review it, then run `mrt plugins --lock` or add its "
          + "SHA-256 " + sha256 + ")";
    }
    if (!want.equals(sha256)) {
      return "the jar changed since it was pinned: its SHA-256 is " + sha256 + ", " + source + " expects " + want
          + " (review it, then run `mrt plugins --lock` again)";
    }
    return null;
  }

  /** The lower-case hex SHA-256 of a file, read to its end (at most {@link #MAX_JAR_BYTES}). */
  static String sha256(Path file) {
    MessageDigest md;
    try {
      md = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    InputLimits.requireRegularFile(file, "plugin jar");
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buf = new byte[1 << 16];
      long total = 0;
      for (int r; (r = in.read(buf)) > 0; ) {
        total += r;
        if (total > MAX_JAR_BYTES) {
          throw new MrtException(file + ": plugin jar larger than the limit of " + MAX_JAR_BYTES + " bytes");
        }
        md.update(buf, 0, r);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return HexFormat.of().formatHex(md.digest());
  }

  /** Writes the lock file of {@code dir} pinning every given jar; returns its path. */
  public static Path writeLock(Path dir, List<Path> jars) {
    StringBuilder b = new StringBuilder("# SHA-256 of the reviewed plugin jars (mrt plugins --lock); a run refuses "
        + "any other jar\n");
    for (Path jar : jars) {
      b.append(sha256(jar)).append("  ").append(jar.getFileName()).append('\n');
    }
    Path lock = dir.resolve(LOCK_FILE);
    try {
      Path tmp = Files.createTempFile(dir, "." + LOCK_FILE + ".", ".tmp");
      try {
        Files.writeString(tmp, b, StandardCharsets.UTF_8);
        Files.move(tmp, lock, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
            java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new MrtException(lock + ": cannot write the plugin lock file: " + e.getMessage(), e);
    }
    return lock;
  }
}
