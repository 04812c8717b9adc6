package io.mrt.runtime.plugin;

import io.mrt.runtime.MrtException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where the plugin jars are: {@code --plugins DIR}, else the environment variable
 * {@value #ENV}, else the config key {@code COMMON.PLUGINS_DIR}, else {@code ~/.mrt/plugins}.
 *
 * <p>A directory that was named explicitly (option, environment or config) must exist; the default
 * may be missing (then there are no plugins). A Maven source folder (one holding a
 * {@code pom.xml}, such as the repository's own {@code plugins/}) is refused: plugins are loaded
 * from built jars only.
 *
 * @param path the directory
 * @param origin where the directory came from, for messages ({@code --plugins}, ...)
 * @param explicit whether the user named it (option, environment or config) rather than the default
 */
public record PluginsDir(Path path, String origin, boolean explicit) {
  /** The environment variable naming the plugins directory. */
  public static final String ENV = "MRT_PLUGINS_DIR";
  /** The config key naming the plugins directory. */
  public static final String CONFIG_KEY = "COMMON.PLUGINS_DIR";

  /**
   * Resolves the directory from, in order, the option, the environment, the config value and the
   * user's home. Blank values count as absent.
   *
   * @param option the {@code --plugins} value, or {@code null}
   * @param env the environment (usually {@link System#getenv()})
   * @param configValue the value of {@code COMMON.PLUGINS_DIR}, or {@code null}
   * @param home the user's home directory (usually {@code user.home})
   */
  public static PluginsDir resolve(Path option, Map<String, String> env, String configValue, Path home) {
    PluginsDir dir;
    if (option != null) {
      dir = new PluginsDir(option, "--plugins", true);
    } else if (notBlank(env.get(ENV))) {
      dir = new PluginsDir(parse(env.get(ENV), ENV), "environment variable " + ENV, true);
    } else if (notBlank(configValue)) {
      dir = new PluginsDir(parse(configValue, CONFIG_KEY), "config key " + CONFIG_KEY, true);
    } else {
      dir = new PluginsDir(home.resolve(".mrt").resolve("plugins"), "default", false);
    }
    dir.check();
    return dir;
  }

  /** The directory resolved from the process environment and {@code user.home}. */
  public static PluginsDir resolve(Path option, String configValue) {
    return resolve(option, System.getenv(), configValue, Path.of(System.getProperty("user.home")));
  }

  private static boolean notBlank(String s) {
    return s != null && !s.isBlank();
  }

  private static Path parse(String value, String key) {
    try {
      return Path.of(value.trim());
    } catch (InvalidPathException e) {
      throw new MrtException(key + ": expected a directory path, found '" + value + "'");
    }
  }

  private void check() {
    if (Files.isRegularFile(path.resolve("pom.xml"))) {
      throw new MrtException("plugins directory " + path + " (from " + origin + ") is a Maven source folder "
          + "(it holds a pom.xml), not a folder of plugin jars; build the plugins with `mvn package` and "
          + "copy their jars (target/*.jar) into a plugins directory such as ~/.mrt/plugins");
    }
    if (explicit && !Files.isDirectory(path)) {
      throw new MrtException("plugins directory " + path + " (from " + origin + "): expected a directory, found "
          + (Files.exists(path) ? "a file" : "nothing"));
    }
  }

  /** Whether the directory exists (the default may not). */
  public boolean exists() {
    return Files.isDirectory(path);
  }

  @Override
  public String toString() {
    return path + " (" + origin + ")";
  }
}
