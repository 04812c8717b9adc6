package io.mrt.runtime.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mrt.runtime.MrtException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One bad plugin jar never stops or clutters the others: oversized metadata is refused by the
 * bytes actually inflated, a missing Plugin-Class is reported once in the host's words (PF4J's own
 * log stays off the terminal), and pinned jars that change are refused.
 */
class PluginHardeningTest {
  @TempDir Path dir;

  private Path goodJar() {
    return TestJars.plugin(dir, "a-good.jar", TestJars.manifest("tanh-like", "^0.1.0"), TanhLikeRegistry.class);
  }

  private static PluginInfo byJar(LoadedPlugins l, String jar) {
    return l.plugins().stream().filter(p -> p.jarName().equals(jar)).findFirst().orElseThrow();
  }

  /** A jar whose service file inflates to {@code bytes} zero bytes (a zip bomb of about 64 KiB on disk). */
  private Path bomb(String file, long bytes) throws IOException {
    Path p = dir.resolve(file);
    Manifest mf = new Manifest();
    mf.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    TestJars.manifest("bomb", "^0.1.0").forEach((k, v) -> mf.getMainAttributes().put(new Attributes.Name(k), v));
    try (OutputStream os = Files.newOutputStream(p); JarOutputStream jar = new JarOutputStream(os, mf)) {
      jar.setLevel(9);
      jar.putNextEntry(new JarEntry("META-INF/services/io.mrt.api.registry.OpRegistry"));
      byte[] zeros = new byte[1 << 20];
      for (long n = 0; n < bytes; n += zeros.length) {
        jar.write(zeros, 0, (int) Math.min(zeros.length, bytes - n));
      }
      jar.closeEntry();
    }
    return p;
  }

  @Test
  void aServiceFileThatInflatesToSixtyFourMegabytesIsRefusedAndTheOtherJarLoads() throws IOException {
    goodJar();
    bomb("bomb.jar", 64L << 20);
    assertTrue(Files.size(dir.resolve("bomb.jar")) < (1 << 20), "the bomb is small on disk");
    try (LoadedPlugins l = PluginHost.load(dir)) {
      assertNull(byJar(l, "a-good.jar").failure());
      assertEquals("refused: META-INF/services/io.mrt.api.registry.OpRegistry inflates to more than the limit of "
          + "65536 bytes", byJar(l, "bomb.jar").failure());
    }
  }

  @Test
  void aHugeManifestIsRefusedBeforeAnyoneParsesIt() throws IOException {
    goodJar();
    Map<String, String> attrs = new LinkedHashMap<>(TestJars.manifest("big", "^0.1.0"));
    attrs.put("Padding", "p".repeat(60).repeat(2000));
    TestJars.jar(dir.resolve("big.jar"), attrs, Map.of());
    try (LoadedPlugins l = PluginHost.load(dir)) {
      assertNull(byJar(l, "a-good.jar").failure());
      assertEquals("refused: META-INF/MANIFEST.MF inflates to more than the limit of 65536 bytes",
          byJar(l, "big.jar").failure());
    }
  }

  @Test
  void aMissingPluginClassIsReportedOnceInTheHostsWordsWithNothingFromPf4jOnStderr() throws IOException {
    goodJar();
    Map<String, String> m = new LinkedHashMap<>(TestJars.manifest("ghost", "^0.1.0"));
    m.put("Plugin-Class", "com.example.GhostPlugin");
    TestJars.plugin(dir, "ghost.jar", m, FlattenRegistry.class);
    PrintStream saved = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try (LoadedPlugins l = PluginHost.load(dir)) {
      assertNull(byJar(l, "a-good.jar").failure());
      assertEquals("plugin ghost: its Plugin-Class com.example.GhostPlugin is not in the jar "
          + "(ClassNotFoundException)", byJar(l, "ghost.jar").failure());
    } finally {
      System.setErr(saved);
    }
    String printed = err.toString(StandardCharsets.UTF_8);
    assertTrue(!printed.contains("org.pf4j") && !printed.contains("ClassNotFoundException\n\tat"), printed);
  }

  @Test
  void aLockedJarThatChangesIsRefusedAndAnUnlistedJarToo() throws IOException {
    Path good = goodJar();
    Path lock = PluginPins.writeLock(dir, List.of(good));
    assertEquals(PluginPins.LOCK_FILE, lock.getFileName().toString());
    String pinned = PluginPins.sha256(good);
    assertEquals(pinned + "  a-good.jar", Files.readAllLines(lock).get(1));
    try (LoadedPlugins l = PluginHost.load(dir)) {
      assertNull(byJar(l, "a-good.jar").failure(), "unchanged: loads");
    }
    TestJars.plugin(dir, "a-good.jar", TestJars.manifest("tanh-like", "^0.1.0"), TanhLikeRegistry.class,
        FlattenRegistry.class);
    String changed = PluginPins.sha256(good);
    TestJars.plugin(dir, "b-new.jar", TestJars.manifest("flatten", "^0.1.0"), FlattenRegistry.class);
    try (LoadedPlugins l = PluginHost.load(dir)) {
      assertEquals("the jar changed since it was pinned: its SHA-256 is " + changed + ", " + lock + " expects "
          + pinned + " (review it, then run `mrt plugins --lock` again)", byJar(l, "a-good.jar").failure());
      assertTrue(byJar(l, "b-new.jar").failure().startsWith("the jar is not pinned in " + lock), 
          byJar(l, "b-new.jar").failure());
    }
  }

  @Test
  void configPinsTakePrecedenceAndMustBeSha256Digests() {
    Path good = goodJar();
    String sha = PluginPins.sha256(good);
    try (LoadedPlugins l = PluginHost.load(new PluginsDir(dir, "test", true), Map.of("a-good.jar", sha.toUpperCase()))) {
      assertNull(byJar(l, "a-good.jar").failure());
    }
    MrtException e = assertThrows(MrtException.class,
        () -> PluginPins.of(Map.of("a-good.jar", "not-a-digest"), dir));
    assertEquals("COMMON.PLUGINS_SHA256: a-good.jar: expected 64 hex digits (a SHA-256), found 'not-a-digest'",
        e.getMessage());
  }
}
