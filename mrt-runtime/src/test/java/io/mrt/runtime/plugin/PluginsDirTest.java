package io.mrt.runtime.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mrt.runtime.MrtException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PluginsDirTest {
  @TempDir
  Path tmp;

  private Path dir(String name) throws IOException {
    return Files.createDirectories(tmp.resolve(name));
  }

  @Test
  void optionWinsOverEnvironmentAndConfig() throws IOException {
    Path opt = dir("opt");
    PluginsDir d = PluginsDir.resolve(opt, Map.of("MRT_PLUGINS_DIR", dir("env").toString()), dir("cfg").toString(), tmp);
    assertEquals(new PluginsDir(opt, "--plugins", true), d);
  }

  @Test
  void environmentWinsOverConfig() throws IOException {
    Path env = dir("env");
    PluginsDir d = PluginsDir.resolve(null, Map.of("MRT_PLUGINS_DIR", env.toString()), dir("cfg").toString(), tmp);
    assertEquals(new PluginsDir(env, "environment variable MRT_PLUGINS_DIR", true), d);
  }

  @Test
  void configIsUsedWithoutOptionOrEnvironment() throws IOException {
    Path cfg = dir("cfg");
    PluginsDir d = PluginsDir.resolve(null, Map.of("MRT_PLUGINS_DIR", " "), cfg.toString(), tmp);
    assertEquals(new PluginsDir(cfg, "config key COMMON.PLUGINS_DIR", true), d);
  }

  @Test
  void defaultIsDotMrtPluginsInTheHomeDirectoryAndMayBeMissing() {
    PluginsDir d = PluginsDir.resolve(null, Map.of(), null, tmp);
    assertEquals(new PluginsDir(tmp.resolve(".mrt/plugins"), "default", false), d);
    assertFalse(d.exists());
    assertEquals(0, PluginHost.load(d).plugins().size());
  }

  @Test
  void anExplicitDirectoryThatDoesNotExistIsAnErrorNamingWhereItCameFrom() {
    Path missing = tmp.resolve("nope");
    MrtException e = assertThrows(MrtException.class,
        () -> PluginsDir.resolve(null, Map.of("MRT_PLUGINS_DIR", missing.toString()), null, tmp));
    assertEquals("plugins directory " + missing + " (from environment variable MRT_PLUGINS_DIR): expected a directory, "
        + "found nothing", e.getMessage());
  }

  @Test
  void aMavenSourceFolderSuchAsTheRepositoryPluginsFolderIsRefused() throws IOException {
    Path src = dir("plugins");
    Files.writeString(src.resolve("pom.xml"), "<project/>");
    MrtException e = assertThrows(MrtException.class, () -> PluginsDir.resolve(src, Map.of(), null, tmp));
    assertEquals("plugins directory " + src + " (from --plugins) is a Maven source folder (it holds a pom.xml), not a "
        + "folder of plugin jars; build the plugins with `mvn package` and copy their jars (target/*.jar) into a "
        + "plugins directory such as ~/.mrt/plugins", e.getMessage());
  }
}
